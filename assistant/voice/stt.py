"""Speech to text with Whisper base (CTranslate2 through faster-whisper), on the CPU.

Audio of any container ffmpeg reads (webm/opus from MediaRecorder, ogg, wav, mp3) is decoded
by PyAV, bundled with faster-whisper. The language is fixed to Vietnamese (auto-detection
chose Thai on Vietnamese speech). A short domain prompt (``prompts/stt.vi.txt``) steers the
words towards the plans' vocabulary; a transcript that only repeats the prompt (what Whisper
does when it hears nothing it knows) is redone without the prompt.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.text import fold

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000


class AudioError(ValueError):
    """Audio that cannot be used: empty, undecodable, silent or too long."""

    def __init__(self, code: str, message_vi: str, message_en: str, status: int = 400) -> None:
        super().__init__(message_en)
        self.code, self.message_vi, self.message_en, self.status = code, message_vi, message_en, status


@dataclass(frozen=True)
class Transcript:
    """What was heard (``POST /api/voice/transcribe``)."""

    text: str
    language: str
    duration_s: float

    def to_dict(self) -> dict[str, object]:
        """The JSON body."""
        return {"text": self.text, "language": self.language, "duration_s": round(self.duration_s, 2)}


def decode(audio: bytes, max_seconds: float) -> np.ndarray:
    """16 kHz mono float samples of ``audio``; :class:`AudioError` when it cannot be used."""
    if not audio:
        raise AudioError("empty_audio", "Không có âm thanh", "no audio was sent")
    from faster_whisper.audio import decode_audio

    try:
        samples = decode_audio(io.BytesIO(audio), sampling_rate=SAMPLE_RATE)
    except Exception:  # noqa: BLE001 - PyAV raises many kinds for broken input
        raise AudioError(
            "bad_audio", "Không đọc được tệp âm thanh (hỗ trợ webm, ogg, wav)", "could not decode the audio (webm, ogg, wav)", 415
        ) from None
    duration = len(samples) / SAMPLE_RATE
    if duration < 0.2:
        raise AudioError("empty_audio", "Đoạn ghi âm quá ngắn", "the recording is too short")
    if duration > max_seconds:
        raise AudioError(
            "audio_too_long",
            f"Đoạn ghi âm dài {duration:.0f} giây, tối đa {max_seconds:.0f} giây",
            f"the recording lasts {duration:.0f} s, the limit is {max_seconds:.0f} s",
            413,
        )
    return samples


class WhisperTranscriber:
    """Loads the model on first use; one transcription at a time (two cores)."""

    def __init__(self, model_dir: Path, prompt: str = "", threads: int = 2) -> None:
        self._model_dir = model_dir
        self._prompt = prompt.strip()
        self._prompt_words = set(re.findall(r"\w+", fold(self._prompt.lower())))
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def transcribe(self, samples: np.ndarray) -> Transcript:
        """The Vietnamese text of ``samples`` (from :func:`decode`)."""
        with self._lock:
            text, duration = self._decode(samples, self._prompt)
            if self._prompt and self._echoes_prompt(text):
                # Whisper repeated its prompt instead of listening: ask again without it, so
                # the user gets what was heard to correct rather than nothing.
                text, duration = self._decode(samples, "")
        return Transcript(text, "vi", duration)

    def _decode(self, samples: np.ndarray, prompt: str) -> tuple[str, float]:
        import ctranslate2

        model = self._load()
        # Whisper re-decodes a looping transcript by sampling; a fixed seed keeps the same
        # audio giving the same text.
        ctranslate2.set_random_seed(1)
        segments, info = model.transcribe(
            samples,
            language="vi",
            beam_size=5,
            initial_prompt=prompt or None,
            condition_on_previous_text=False,
            vad_filter=False,
            # Synthetic or quiet speech looks like "no speech" to Whisper's detector and was
            # dropped whole; the caller already refused silent or too-short audio.
            no_speech_threshold=None,
        )
        return " ".join(segment.text.strip() for segment in segments).strip(), float(info.duration)

    def warm_up(self) -> None:
        """Load the model now rather than at the first question."""
        with self._lock:
            self._load()

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            from faster_whisper import WhisperModel

            self._model = WhisperModel(str(self._model_dir), device="cpu", compute_type="int8", cpu_threads=self._threads)
            log.info("speech model loaded from %s", self._model_dir.name)
        return self._model

    def _echoes_prompt(self, text: str) -> bool:
        heard = set(re.findall(r"\w+", fold(text.lower())))
        return len(heard) >= 3 and len(heard - self._prompt_words) <= len(heard) // 5
