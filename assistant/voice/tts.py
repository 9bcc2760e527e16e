"""Text to speech with espeak-ng (Debian package), Vietnamese voice by default: robotic, but
local and fast. The text is first rewritten to be heard (:mod:`assistant.voice.speech_text`)."""

from __future__ import annotations

import shutil
import subprocess

from assistant.voice.speech_text import for_speech

MAX_SPEECH_CHARS = 6000


class SpeechError(RuntimeError):
    """The speech engine is missing or failed."""


class EspeakSpeaker:
    """``espeak-ng`` run once per request, text on stdin, WAV (22 kHz mono) on stdout."""

    def __init__(self, voice: str = "vi", rate: int = 150, binary: str = "espeak-ng") -> None:
        self.voice = voice
        self.rate = rate
        self.binary = shutil.which(binary)

    @property
    def available(self) -> bool:
        """True when espeak-ng is installed."""
        return self.binary is not None

    def speak(self, text: str, language: str = "vi") -> bytes:
        """WAV audio of ``text`` read aloud (citations dropped, numbers said in words)."""
        if self.binary is None:
            raise SpeechError("espeak-ng is not installed")
        spoken = for_speech(text, language)[:MAX_SPEECH_CHARS]
        voice = self.voice if language == "vi" else "en"
        result = subprocess.run(
            [self.binary, "-v", voice, "-s", str(self.rate), "--stdin", "--stdout"],
            input=spoken.encode("utf-8"),
            capture_output=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
            raise SpeechError(f"espeak-ng failed ({result.returncode}): {result.stderr.decode(errors='replace')[-200:]}")
        return _fix_wav_sizes(result.stdout)


def _fix_wav_sizes(wav: bytes) -> bytes:
    # Writing to a pipe, espeak-ng cannot seek back to fill in the RIFF and data sizes
    # (it leaves 0x7fffffff); browsers and decoders want them right.
    if len(wav) < 44 or wav[36:40] != b"data":
        return wav
    fixed = bytearray(wav)
    fixed[4:8] = (len(wav) - 8).to_bytes(4, "little")
    fixed[40:44] = (len(wav) - 44).to_bytes(4, "little")
    return bytes(fixed)
