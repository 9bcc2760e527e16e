"""The transcriber's guard against Whisper repeating its domain prompt."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.voice.stt import WhisperTranscriber

PROMPT = "Hỏi về kế hoạch chuyển đổi số: ai chủ trì nhiệm vụ, cơ quan phối hợp, thời gian hoàn thành, chỉ tiêu."


def _with_outputs(outputs: dict[str, str]) -> tuple[WhisperTranscriber, list[str]]:
    transcriber = WhisperTranscriber(Path("unused"), PROMPT)
    prompts: list[str] = []

    def decode(samples: np.ndarray, prompt: str) -> tuple[str, float]:
        prompts.append(prompt)
        return outputs[prompt], 2.0

    transcriber._decode = decode  # type: ignore[method-assign]
    return transcriber, prompts


def test_a_transcript_that_repeats_the_prompt_is_redone_without_it() -> None:
    transcriber, prompts = _with_outputs({PROMPT: "Ai chủ trì nhiệm vụ, cơ quan phối hợp.", "": "hạn nhiệm vụ 5b"})
    assert transcriber.transcribe(np.zeros(32_000, dtype=np.float32)).text == "hạn nhiệm vụ 5b"
    assert prompts == [PROMPT, ""]


def test_a_transcript_with_words_of_its_own_is_kept() -> None:
    heard = "Ai chủ trì nhiệm vụ 5b của kế hoạch năm 2026 về dữ liệu mở?"
    transcriber, prompts = _with_outputs({PROMPT: heard})
    assert transcriber.transcribe(np.zeros(32_000, dtype=np.float32)).text == heard
    assert prompts == [PROMPT]
