"""The OA webhook signature as Zalo documents it: sha256(app id + raw body + timestamp + OA secret key)."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from assistant.zalo.bot import parse_update, secret_token_matches
from assistant.zalo.oa import SignatureError, parse_event, verify_event

APP_ID = "3608465249409039"
SECRET = "oa-secret-key"


def _event(**overrides: object) -> bytes:
    event = {
        "app_id": APP_ID,
        "sender": {"id": "246845883529197922"},
        "user_id_by_app": "552177279717587730",
        "recipient": {"id": "388613280878808645"},
        "event_name": "user_send_text",
        "message": {"text": "Ai chủ trì nhiệm vụ 5b?", "msg_id": "96d3cdf3af150460909"},
        "timestamp": str(int(time.time() * 1000)),
    }
    event.update(overrides)
    return json.dumps(event, ensure_ascii=False).encode()


def _mac(raw: bytes, secret: str = SECRET) -> str:
    timestamp = json.loads(raw)["timestamp"]
    # Written out from the documented formula, independently of the code under test.
    return "mac=" + hashlib.sha256(f"{APP_ID}{raw.decode()}{timestamp}{secret}".encode()).hexdigest()


def _verify(header: str | None, raw: bytes) -> dict:
    return verify_event(header, raw, app_id=APP_ID, secret_key=SECRET, max_age=900)


def test_a_correctly_signed_event_is_accepted_with_or_without_the_mac_prefix() -> None:
    raw = _event()
    assert _verify(_mac(raw), raw)["event_name"] == "user_send_text"
    assert _verify(_mac(raw)[4:].upper(), raw)["message"]["msg_id"] == "96d3cdf3af150460909"


@pytest.mark.parametrize(
    ("header", "raw", "status"),
    [
        (None, _event(), 401),
        ("", _event(), 401),
        ("mac=" + "0" * 64, _event(), 403),
        (_mac(_event(), secret="someone-else"), _event(), 403),
    ],
)
def test_missing_or_forged_signatures_are_rejected(header: str | None, raw: bytes, status: int) -> None:
    with pytest.raises(SignatureError) as caught:
        _verify(header, raw)
    assert caught.value.status == status


def test_a_tampered_body_fails_its_signature() -> None:
    raw = _event()
    tampered = raw.replace("nhiệm vụ 5b".encode(), "nhiệm vụ 5c".encode())
    with pytest.raises(SignatureError) as caught:
        _verify(_mac(raw), tampered)
    assert caught.value.status == 403


def test_a_stale_event_is_rejected_even_when_signed() -> None:
    raw = _event(timestamp=str(int((time.time() - 3600) * 1000)))
    with pytest.raises(SignatureError, match="stale"):
        _verify(_mac(raw), raw)


def test_events_are_read_as_zalo_sends_them() -> None:
    text = parse_event(json.loads(_event()))
    assert text and text.kind == "text" and text.recipient == "246845883529197922" and text.text.startswith("Ai chủ trì")
    image = parse_event(json.loads(_event(event_name="user_send_image", message={"msg_id": "m2", "attachments": []})))
    assert image and image.kind == "non_text"
    follow = parse_event({"event_name": "follow", "follower": {"id": "u1"}, "timestamp": "1"})
    assert follow and follow.kind == "welcome"
    assert parse_event(json.loads(_event(event_name="oa_send_text"))) is None  # the OA's own message
    assert parse_event({"event_name": "user_send_text", "sender": {}, "message": {}}) is None


def test_bot_updates_with_and_without_the_envelope() -> None:
    message = {"from": {"id": "u9", "is_bot": False}, "chat": {"id": "c9", "chat_type": "PRIVATE"}, "text": "xin chào", "message_id": "m9", "date": 1}
    bare = parse_update({"event_name": "message.text.received", "message": message})
    wrapped = parse_update({"ok": True, "result": {"event_name": "message.text.received", "message": message}})
    assert bare == wrapped and bare is not None and bare.recipient == "c9" and bare.text == "xin chào"
    sticker = parse_update({"event_name": "message.sticker.received", "message": {**message, "sticker": "abc"}})
    assert sticker and sticker.kind == "non_text"
    assert parse_update({"event_name": "message.text.received", "message": {**message, "from": {"id": "b", "is_bot": True}}}) is None
    assert parse_update(["not", "an", "update"]) is None
    assert secret_token_matches("s3cret-token", "s3cret-token")
    assert not secret_token_matches(None, "s3cret-token") and not secret_token_matches("s3cret-tokeN", "s3cret-token")
