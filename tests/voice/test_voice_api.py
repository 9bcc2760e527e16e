"""The voice endpoints with the real engines: espeak-ng speaks, Whisper base (assembled from
its PyPI wheels) listens, the core answers."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.runtime import Runtime
from assistant.voice.tts import EspeakSpeaker
from eval.voice import QUESTION_RATE

from tests.conftest import PLAN_2026

pytestmark = pytest.mark.slow
# The example: a task and a year said in words.
SPOKEN_5B = "Ai chủ trì nhiệm vụ năm b của kế hoạch chuyển đổi số năm hai nghìn không trăm hai mươi sáu?"


@pytest.fixture(scope="module")
def client(corpus_runtime: Runtime, whisper_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = corpus_runtime.settings.model_copy(
        update={"stt_model": whisper_model, "voice_max_seconds": 20.0, "voice_max_bytes": 2_000_000}
    )
    with TestClient(create_app(settings, runtime=corpus_runtime)) as test_client:
        yield test_client


def _wav(samples: np.ndarray, rate: int = 16_000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def _question_audio(text: str) -> bytes:
    return EspeakSpeaker("vi", QUESTION_RATE).speak(text)


def test_status_says_what_voice_can_do(client: TestClient) -> None:
    assert client.get("/api/voice").json() == {"transcribe": True, "speak": True}


def test_speak_returns_vietnamese_wav(client: TestClient) -> None:
    response = client.post("/api/voice/speak", json={"text": "Nhiệm vụ 5b hoàn thành tháng 9/2026 [1]."})
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    # Said in words ("năm bê … tháng chín năm hai nghìn không trăm hai mươi sáu"): several seconds.
    assert 3.0 < seconds < 15.0


def test_speak_refuses_bad_text(client: TestClient) -> None:
    assert client.post("/api/voice/speak", json={"text": "   "}).status_code == 400
    assert client.post("/api/voice/speak", json={"text": "a" * 7000}).status_code == 413
    assert client.post("/api/voice/speak", json={"text": "xin chào", "language": "fr"}).status_code == 422


def test_round_trip_reaches_the_task(client: TestClient) -> None:
    response = client.post("/api/voice/ask", content=_question_audio(SPOKEN_5B), headers={"Content-Type": "audio/wav"})
    assert response.status_code == 200
    body = response.json()
    assert body["transcript"]["language"] == "vi" and 3 < body["transcript"]["duration_s"] < 20
    assert "5b" in body["question"]  # "năm bê" heard and written as the task's number
    assert body["mode"] == "structured"
    assert (body["citations"][0]["doc"], body["citations"][0]["section"]) == (PLAN_2026, "III.5.b")


def test_transcribe_returns_text_language_and_duration(client: TestClient) -> None:
    body = client.post("/api/voice/transcribe", content=_question_audio(SPOKEN_5B), headers={"Content-Type": "audio/wav"}).json()
    assert set(body) == {"text", "language", "duration_s", "question"}
    assert "nhiệm vụ" in body["text"].lower() and "nhiệm vụ 5b" in body["question"].lower()


@pytest.mark.parametrize(
    ("audio", "content_type", "status", "code"),
    [
        (b"", "audio/wav", 400, "empty_audio"),
        (b"RIFF....WAVEfmt " + b"\x00" * 300, "audio/wav", 415, "bad_audio"),
        (b"OggS" + bytes(range(256)) * 4, "audio/ogg", 415, "bad_audio"),
        (b"hello", "text/plain", 415, "bad_audio"),
    ],
)
def test_bad_audio_gets_a_clear_4xx(client: TestClient, audio: bytes, content_type: str, status: int, code: str) -> None:
    response = client.post("/api/voice/transcribe", content=audio, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code and " / " in response.json()["error"]["message"]


def test_too_long_and_too_large_audio_are_refused(client: TestClient) -> None:
    # 30 s of a quiet tone: decodable, over the 20 s limit of this app.
    tone = 0.05 * np.sin(np.linspace(0, 30 * 440 * 2 * np.pi, 30 * 16_000)).astype(np.float32)
    too_long = client.post("/api/voice/transcribe", content=_wav(tone), headers={"Content-Type": "audio/wav"})
    assert too_long.status_code == 413 and too_long.json()["error"]["code"] == "audio_too_long"
    huge = client.post("/api/voice/transcribe", content=b"\x00" * 2_100_000, headers={"Content-Type": "audio/wav"})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "audio_too_large"
    short = client.post("/api/voice/ask", content=_wav(np.zeros(800, dtype=np.float32)), headers={"Content-Type": "audio/wav"})
    assert short.status_code == 400 and short.json()["error"]["code"] == "empty_audio"
