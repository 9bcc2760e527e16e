"""The voice parts a running service holds: a transcriber (its model assembled and loaded on
first use) and a speaker."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.voice.stt import Transcript, WhisperTranscriber
from assistant.voice.tts import EspeakSpeaker
from assistant.voice.weights import WhisperWeightsError, ensure_whisper_model, whisper_ready

log = logging.getLogger(__name__)


class VoiceUnavailable(RuntimeError):
    """Speech to text or text to speech cannot run on this server."""


@dataclass
class Voice:
    """Speech in and out for the API."""

    settings: Settings
    speaker: EspeakSpeaker
    _transcriber: WhisperTranscriber | None = None
    _building: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Voice:
        """Nothing is loaded yet: the model is assembled and loaded at first use or warm-up."""
        return cls(settings, EspeakSpeaker(settings.tts_voice, settings.tts_rate))

    @property
    def can_transcribe(self) -> bool:
        """Speech to text is turned on."""
        return self.settings.stt != "none"

    def transcribe(self, samples: np.ndarray) -> Transcript:
        """What was said; :class:`VoiceUnavailable` when the model cannot be had."""
        return self._get_transcriber().transcribe(samples)

    def warm_up(self) -> None:
        """Load the speech model at start-up when it is assembled already (``assistant models``);
        otherwise the first question assembles it. Failures are only logged."""
        if not self.can_transcribe or (self.settings.stt_model is None and not whisper_ready(self.settings.models_dir)):
            return
        try:
            self._get_transcriber().warm_up()
        except (VoiceUnavailable, OSError, RuntimeError) as exc:
            log.warning("speech to text unavailable: %s", exc)

    def _get_transcriber(self) -> WhisperTranscriber:
        if not self.can_transcribe:
            raise VoiceUnavailable("speech to text is turned off (ASSISTANT_STT=none)")
        # The warm-up thread and a first request may both get here: one assembles the model.
        with self._building:
            if self._transcriber is None:
                model_dir = self.settings.stt_model
                if model_dir is None:
                    try:
                        model_dir = ensure_whisper_model(self.settings.models_dir, progress=False)
                    except (WhisperWeightsError, OSError) as exc:
                        raise VoiceUnavailable(f"the Whisper model could not be assembled: {exc}") from None
                prompt_file = self.settings.prompts_dir / "stt.vi.txt"
                prompt = prompt_file.read_text(encoding="utf-8") if prompt_file.is_file() else ""
                self._transcriber = WhisperTranscriber(Path(model_dir), prompt, self.settings.threads)
            return self._transcriber
