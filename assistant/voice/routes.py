"""Voice endpoints: ``POST /api/voice/transcribe`` (audio → text), ``POST /api/voice/speak``
(text → WAV) and ``POST /api/voice/ask`` (audio → the chat answer and the transcript).

Audio comes as the raw request body (``Content-Type: audio/webm``, ``audio/ogg``,
``audio/wav`` …), as MediaRecorder's Blob is sent.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant import errors
from assistant.deps import SESSION_ID_MAX, SESSION_ID_PATTERN, current_assistant, read_body
from assistant.voice.service import Voice, VoiceUnavailable
from assistant.voice.spoken import written_question
from assistant.voice.stt import AudioError, Transcript, decode
from assistant.voice.tts import MAX_SPEECH_CHARS, SpeechError

router = APIRouter(prefix="/api/voice", tags=["voice"])


class SpeakRequest(BaseModel):
    """Body of ``POST /api/voice/speak``."""

    text: str = Field(..., description="What to read aloud (an answer; its [n] marks are skipped).")
    language: str = Field("vi", pattern="^(vi|en)$")


def _voice(request: Request) -> Voice:
    return request.app.state.voice


def _unavailable(what: str, exc: Exception) -> errors.UserError:
    return errors.UserError("voice_unavailable", f"Chức năng {what} chưa sẵn sàng trên máy chủ", f"{exc}", 503)


async def _audio(request: Request, voice: Voice) -> bytes:
    """The request body, refused early when larger than the limit."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and not re.fullmatch(r"(audio|video)/[\w.+-]+|application/octet-stream", content_type):
        raise errors.UserError(
            "bad_audio", "Hãy gửi âm thanh (audio/webm, audio/ogg, audio/wav)", "send audio (audio/webm, audio/ogg, audio/wav)", 415
        )
    limit = voice.settings.voice_max_bytes
    too_large = errors.UserError(
        "audio_too_large", f"Tệp âm thanh quá lớn (tối đa {limit // 1_048_576} MB)", f"audio larger than {limit} bytes", 413
    )
    return await read_body(request, limit, too_large)


def _transcribe(voice: Voice, audio: bytes) -> Transcript:
    try:
        samples = decode(audio, voice.settings.voice_max_seconds)
        return voice.transcribe(samples)
    except AudioError as exc:
        raise errors.UserError(exc.code, exc.message_vi, exc.message_en, exc.status) from None
    except VoiceUnavailable as exc:
        raise _unavailable("nhận dạng giọng nói", exc) from None


@router.get("")
def voice_status(request: Request) -> dict[str, bool]:
    """What the voice service can do here (clients hide what it cannot)."""
    voice = _voice(request)
    return {"transcribe": voice.can_transcribe, "speak": voice.speaker.available}


@router.post("/transcribe")
async def transcribe(request: Request) -> dict[str, Any]:
    """Audio (≤ ``ASSISTANT_VOICE_MAX_SECONDS``) → ``{"text", "language", "duration_s"}``, plus
    ``question``: the text with spoken numbers written ("nhiệm vụ năm bê" → "nhiệm vụ 5b")."""
    voice = _voice(request)
    audio = await _audio(request, voice)
    transcript = await run_in_threadpool(_transcribe, voice, audio)
    return transcript.to_dict() | {"question": written_question(transcript.text)}


@router.post("/speak", response_class=Response, responses={200: {"content": {"audio/wav": {}}}})
async def speak(body: SpeakRequest, request: Request) -> Response:
    """Text → WAV, Vietnamese voice (citations not read, numbers and dates said in words)."""
    text = body.text.strip()
    if not text:
        raise errors.UserError("empty_text", "Không có nội dung để đọc", "nothing to read")
    if len(text) > MAX_SPEECH_CHARS:
        raise errors.message_too_long(MAX_SPEECH_CHARS, len(text))
    voice = _voice(request)
    try:
        wav = await run_in_threadpool(voice.speaker.speak, text, body.language)
    except SpeechError as exc:
        raise _unavailable("đọc văn bản", exc) from None
    return Response(wav, media_type="audio/wav", headers={"Cache-Control": "no-store"})


@router.post("/ask")
async def ask(
    request: Request,
    session_id: str | None = Query(None, max_length=SESSION_ID_MAX, pattern=SESSION_ID_PATTERN),
) -> dict[str, Any]:
    """Audio → the ``/api/chat`` body plus ``transcript`` and the ``question`` asked."""
    assistant = current_assistant(request)
    voice = _voice(request)
    audio = await _audio(request, voice)
    transcript = await run_in_threadpool(_transcribe, voice, audio)
    if not transcript.text:
        raise errors.UserError("nothing_heard", "Không nghe rõ câu hỏi, vui lòng nói lại", "no speech was recognised, please try again", 422)
    question = written_question(transcript.text)[: voice.settings.max_message_chars]
    answer = await run_in_threadpool(assistant.ask, question, session_id)
    return answer.to_dict() | {"transcript": transcript.to_dict(), "question": question}
