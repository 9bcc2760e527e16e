"""The Zalo channels end to end: signed events into the real FastAPI app, answers from the
core over the shipped corpus, replies sent over HTTP to a local fake Zalo API server."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.runtime import Runtime
from assistant.zalo.bot import BotClient, poll
from assistant.zalo.channels import ZaloChannels
from assistant.zalo.oa import OAClient
from assistant.zalo.store import ZaloStore
from assistant.zalo.text import NON_TEXT, RATE_LIMITED, WELCOME, ZALO_TEXT_LIMIT

from tests.conftest import corpus_settings
from tests.fakes.zalo_server import FakeZalo

OA_SECRET = "oa-secret-key-for-tests"
BOT_SECRET = "bot-webhook-secret-token"
QUESTION_5B = "Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026, hạn khi nào?"


@pytest.fixture
def zalo() -> Iterator[FakeZalo]:
    fake = FakeZalo().start()
    yield fake
    fake.stop()


def _settings(tmp_path: Path, fake: FakeZalo, **overrides: object):
    values: dict[str, object] = {
        "zalo_oa_app_id": fake.app_id,
        "zalo_oa_secret_key": OA_SECRET,
        "zalo_oa_app_secret": fake.app_secret,
        "zalo_oa_access_token": fake.access_token,
        "zalo_oa_refresh_token": fake.refresh_token,
        "zalo_oa_api_base": fake.url,
        "zalo_oa_oauth_base": fake.url,
        "zalo_bot_token": fake.bot_token,
        "zalo_bot_secret_token": BOT_SECRET,
        "zalo_bot_api_base": fake.url,
        "zalo_rate_limit": "off",
    }
    values.update(overrides)
    return corpus_settings(tmp_path, **values)


@pytest.fixture
def client(tmp_path: Path, zalo: FakeZalo, corpus_runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(_settings(tmp_path, zalo), runtime=corpus_runtime)) as test_client:
        yield test_client


def _oa_event(text: str | None, *, user: str = "246845883529197922", msg_id: str | None = None, name: str = "user_send_text") -> bytes:
    message: dict[str, object] = {"msg_id": msg_id or hashlib.md5(f"{user}{text}{time.time()}".encode()).hexdigest()}
    if text is not None:
        message["text"] = text
    event = {
        "app_id": FakeZalo.app_id,
        "sender": {"id": user},
        "recipient": {"id": "388613280878808645"},
        "event_name": name,
        "message": message,
        "timestamp": str(int(time.time() * 1000)),
    }
    return json.dumps(event, ensure_ascii=False).encode()


def _signed(raw: bytes, secret: str = OA_SECRET) -> dict[str, str]:
    timestamp = json.loads(raw)["timestamp"]
    mac = hashlib.sha256(f"{FakeZalo.app_id}{raw.decode()}{timestamp}{secret}".encode()).hexdigest()
    return {"X-ZEvent-Signature": f"mac={mac}", "Content-Type": "application/json"}


def _post_oa(client: TestClient, raw: bytes, headers: dict[str, str] | None = None):
    return client.post("/zalo/oa/webhook", content=raw, headers=_signed(raw) if headers is None else headers)


def test_signed_text_event_is_answered_through_the_oa_api_with_citations(client: TestClient, zalo: FakeZalo) -> None:
    started = time.perf_counter()
    response = _post_oa(client, _oa_event(QUESTION_5B))
    acknowledged = time.perf_counter() - started
    assert response.status_code == 200 and response.json()["queued"] is True
    assert acknowledged < 2.0, "the webhook acknowledges before answering"
    sent = zalo.wait_for(zalo.oa_sends, 1)
    assert len(sent) == 1
    reply = sent[0]
    assert reply["user_id"] == "246845883529197922" and reply["token"] == zalo.access_token
    assert "Tháng 9/2026" in reply["text"] and "[1]" in reply["text"]
    assert reply["text"].rstrip().endswith("Nguồn:\n[1] Kế hoạch 23/KH-UBND, mục III.5.b")


def test_a_long_answer_arrives_in_numbered_parts_within_zalos_limit(client: TestClient, zalo: FakeZalo) -> None:
    question = "Những nhiệm vụ nào Sở Khoa học và Công nghệ chủ trì trong kế hoạch chuyển đổi số năm 2026?"
    assert _post_oa(client, _oa_event(question)).status_code == 200
    zalo.wait_for(zalo.oa_sends, 2)
    time.sleep(0.5)  # the parts go out one after another: let the last one arrive
    sent = list(zalo.oa_sends)
    assert len(sent) >= 2
    assert all(len(s["text"]) <= ZALO_TEXT_LIMIT for s in sent)
    assert [s["text"].rsplit("(", 1)[1] for s in sent] == [f"{i}/{len(sent)})" for i in range(1, len(sent) + 1)]
    assert "Nguồn:\n[1] Kế hoạch 23/KH-UBND, mục III." in sent[-1]["text"]


def test_forged_or_missing_signatures_are_refused_and_nothing_is_sent(client: TestClient, zalo: FakeZalo) -> None:
    raw = _oa_event(QUESTION_5B)
    forged = _post_oa(client, raw, _signed(raw, secret="guessed-secret"))
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "bad_signature"
    assert _post_oa(client, raw, {"Content-Type": "application/json"}).status_code == 401
    stale_raw = _oa_event(QUESTION_5B).replace(b'"timestamp": "', b'"timestamp": "1')  # far in the future
    assert _post_oa(client, stale_raw).status_code == 403
    time.sleep(1.0)
    assert zalo.oa_sends == []


def test_a_retried_event_is_answered_once(client: TestClient, zalo: FakeZalo) -> None:
    raw = _oa_event(QUESTION_5B, msg_id="retried-msg-1")
    first = _post_oa(client, raw)
    again = [_post_oa(client, raw) for _ in range(3)]
    assert first.json()["queued"] is True
    assert all(r.status_code == 200 and r.json()["queued"] is False for r in again)
    zalo.wait_for(zalo.oa_sends, 1)
    time.sleep(1.0)
    assert len(zalo.oa_sends) == 1


def test_non_text_events_get_a_polite_reply_and_follows_a_welcome(client: TestClient, zalo: FakeZalo) -> None:
    assert _post_oa(client, _oa_event(None, name="user_send_image")).status_code == 200
    assert zalo.wait_for(zalo.oa_sends, 1)[0]["text"] == NON_TEXT
    follow = json.dumps({"app_id": zalo.app_id, "event_name": "follow", "oa_id": "388613280878808645", "follower": {"id": "u-new"}, "source": "oa_profile", "timestamp": str(int(time.time() * 1000))}).encode()
    assert _post_oa(client, follow).status_code == 200
    assert zalo.wait_for(zalo.oa_sends, 2)[1] == {"user_id": "u-new", "text": WELCOME, "token": zalo.access_token}


def test_each_zalo_user_has_a_conversation_for_follow_ups(client: TestClient, zalo: FakeZalo) -> None:
    _post_oa(client, _oa_event(QUESTION_5B, user="user-a"))
    zalo.wait_for(zalo.oa_sends, 1)
    _post_oa(client, _oa_event("còn nhiệm vụ 5c thì sao?", user="user-a"))
    _post_oa(client, _oa_event("còn nhiệm vụ 5c thì sao?", user="user-b"))
    sent = zalo.wait_for(zalo.oa_sends, 3)
    to_a = [s["text"] for s in sent if s["user_id"] == "user-a"]
    to_b = [s["text"] for s in sent if s["user_id"] == "user-b"]
    # User a's plan carries over from the first question; user b never named one.
    assert to_a[1].startswith("Nhiệm vụ 5c (mục III.5.c) của Kế hoạch 23/KH-UBND")
    assert to_b[0].startswith("Câu hỏi không nêu văn bản nào")


def test_unicode_and_emoji_questions_are_answered(client: TestClient, zalo: FakeZalo) -> None:
    _post_oa(client, _oa_event("🙏 cho hỏi: ai chủ trì nhiệm vụ 5b kế hoạch chuyển đổi số 2026 ạ? 😊"))
    text = zalo.wait_for(zalo.oa_sends, 1)[0]["text"]
    assert "III.5.b" in text


def test_an_expired_access_token_is_refreshed_and_the_new_pair_kept(client: TestClient, zalo: FakeZalo, tmp_path: Path) -> None:
    zalo.expire_access_token()
    _post_oa(client, _oa_event(QUESTION_5B))
    sent = zalo.wait_for(zalo.oa_sends, 1)
    assert zalo.refreshes == 1 and sent[0]["token"] == zalo.access_token == "oa-access-2"
    # The refresh token was spent; a restarted service must use the saved pair, not the configured one.
    store = ZaloStore(tmp_path / "zalo.sqlite3")
    saved = store.tokens("oa-refresh-1")
    store.close()
    assert saved is not None and (saved.access_token, saved.refresh_token) == ("oa-access-2", "oa-refresh-2")


def test_a_failing_token_refresh_is_logged_without_crashing(tmp_path: Path, zalo: FakeZalo, corpus_runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(tmp_path, zalo, zalo_oa_refresh_token="not-the-refresh-token")
    zalo.expire_access_token()
    with caplog.at_level(logging.INFO), TestClient(create_app(settings, runtime=corpus_runtime)) as client:
        assert _post_oa(client, _oa_event(QUESTION_5B)).status_code == 200
        deadline = time.monotonic() + 20
        while "send failed" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/healthz").status_code == 200
    assert "send failed: refresh_failed" in caplog.text
    assert zalo.oa_sends == []


def test_zalo_server_errors_are_retried(client: TestClient, zalo: FakeZalo) -> None:
    zalo.failures.extend([502, 503])
    _post_oa(client, _oa_event(QUESTION_5B))
    assert len(zalo.wait_for(zalo.oa_sends, 1)) == 1


def test_per_user_rate_limit(tmp_path: Path, zalo: FakeZalo, corpus_runtime: Runtime) -> None:
    with TestClient(create_app(_settings(tmp_path, zalo, zalo_rate_limit="2/minute"), runtime=corpus_runtime)) as client:
        for i in range(5):
            _post_oa(client, _oa_event(f"nhiệm vụ {i + 1}a kế hoạch 2026", user="chatty"))
        _post_oa(client, _oa_event(QUESTION_5B, user="calm"))
        zalo.wait_for(zalo.oa_sends, 4)
        time.sleep(1.0)
    chatty = [s["text"] for s in zalo.oa_sends if s["user_id"] == "chatty"]
    assert len(chatty) == 3 and chatty.count(RATE_LIMITED) == 1  # two answers, one notice, then silence
    assert [s for s in zalo.oa_sends if s["user_id"] == "calm"]


def test_logs_carry_no_message_content(client: TestClient, zalo: FakeZalo, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        _post_oa(client, _oa_event("Bí mật riêng tư: ai chủ trì nhiệm vụ 5b năm 2026?", user="246845883529197922"))
        zalo.wait_for(zalo.oa_sends, 1)
        time.sleep(0.2)
    assert "zalo oa user=" in caplog.text
    assert "Bí mật" not in caplog.text and "246845883529197922" not in caplog.text


def test_unconfigured_channels_do_not_exist(tmp_path: Path, corpus_runtime: Runtime) -> None:
    with TestClient(create_app(corpus_settings(tmp_path), runtime=corpus_runtime)) as client:
        assert client.post("/zalo/oa/webhook", content=b"{}").status_code == 404
        assert client.post("/zalo/bot/webhook", content=b"{}").status_code == 404


# --- Zalo Bot platform -----------------------------------------------------------------


def _bot_update(text: str | None, *, chat: str = "e4ea2cd5189df1c3a88c", msg_id: str = "16f6366b3f02645a3d15", event: str = "message.text.received") -> dict:
    message: dict[str, object] = {
        "from": {"id": chat, "display_name": "Nguyễn Văn A", "is_bot": False},
        "chat": {"id": chat, "chat_type": "PRIVATE"},
        "message_id": msg_id,
        "date": int(time.time() * 1000),
    }
    if text is not None:
        message["text"] = text
    return {"ok": True, "result": {"event_name": event, "message": message}}


def test_bot_webhook_answers_with_send_message(client: TestClient, zalo: FakeZalo) -> None:
    response = client.post("/zalo/bot/webhook", json=_bot_update(QUESTION_5B), headers={"X-Bot-Api-Secret-Token": BOT_SECRET})
    assert response.status_code == 200
    sent = zalo.wait_for(zalo.bot_sends, 1)
    assert sent[0]["chat_id"] == "e4ea2cd5189df1c3a88c"
    assert "Nguồn:\n[1] Kế hoạch 23/KH-UBND, mục III.5.b" in sent[0]["text"]


def test_bot_webhook_checks_the_secret_token(client: TestClient, zalo: FakeZalo) -> None:
    update = _bot_update(QUESTION_5B)
    assert client.post("/zalo/bot/webhook", json=update).status_code == 401
    assert client.post("/zalo/bot/webhook", json=update, headers={"X-Bot-Api-Secret-Token": "wrong-token"}).status_code == 403
    bad = client.post("/zalo/bot/webhook", content=b"{not json", headers={"X-Bot-Api-Secret-Token": BOT_SECRET})
    assert bad.status_code == 400
    time.sleep(0.5)
    assert zalo.bot_sends == []


def test_bot_retries_and_stickers(client: TestClient, zalo: FakeZalo) -> None:
    headers = {"X-Bot-Api-Secret-Token": BOT_SECRET}
    for _ in range(2):
        client.post("/zalo/bot/webhook", json=_bot_update(QUESTION_5B, msg_id="same-id"), headers=headers)
    client.post("/zalo/bot/webhook", json=_bot_update(None, msg_id="sticker-1", event="message.sticker.received"), headers=headers)
    sent = zalo.wait_for(zalo.bot_sends, 2)
    time.sleep(0.5)
    assert len(zalo.bot_sends) == 2
    assert sorted(s["text"] == NON_TEXT for s in sent) == [False, True]


def test_a_wrong_bot_token_is_reported_not_crashed(tmp_path: Path, zalo: FakeZalo, corpus_runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(tmp_path, zalo, zalo_bot_token="123:revoked")
    with caplog.at_level(logging.INFO), TestClient(create_app(settings, runtime=corpus_runtime)) as client:
        assert client.post("/zalo/bot/webhook", json=_bot_update(QUESTION_5B), headers={"X-Bot-Api-Secret-Token": BOT_SECRET}).status_code == 200
        deadline = time.monotonic() + 20
        while "send failed" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
    assert "send failed: 401" in caplog.text and "revoked" not in caplog.text


def test_bot_polling_answers_without_a_public_url(tmp_path: Path, zalo: FakeZalo, assistant) -> None:
    settings = _settings(tmp_path, zalo, zalo_bot_secret_token=None)
    channels = ZaloChannels.from_settings(settings, lambda: assistant, bot_required=True)
    assert isinstance(channels.bot, BotClient)
    zalo.updates.extend([_bot_update(QUESTION_5B, msg_id="p1"), _bot_update("còn nhiệm vụ 5c thì sao?", msg_id="p2")])
    stop = threading.Event()
    worker = threading.Thread(target=poll, args=(channels.bot, channels.responder.handle, stop), daemon=True)
    worker.start()
    sent = zalo.wait_for(zalo.bot_sends, 2)
    stop.set()
    worker.join(timeout=5)
    channels.close()
    assert "III.5.b" in sent[0]["text"] and "III.5.c" in sent[1]["text"]


def test_oa_client_prefers_tokens_saved_after_a_refresh(tmp_path: Path, zalo: FakeZalo) -> None:
    settings = _settings(tmp_path, zalo)
    store = ZaloStore(tmp_path / "tokens.sqlite3")
    zalo.expire_access_token()
    OAClient(settings, store).send_text("u1", "lần một")
    restarted = OAClient(settings, store)  # same configured (now spent) refresh token
    restarted.send_text("u1", "lần hai")
    assert [s["token"] for s in zalo.oa_sends] == ["oa-access-2", "oa-access-2"] and zalo.refreshes == 1
    store.close()
