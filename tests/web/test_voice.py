"""Voice in the console, in a real browser whose microphone is a prepared WAV file
(Chromium's fake media devices): push to talk, check the transcript, ask, listen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assistant.runtime import Runtime
from assistant.voice.tts import EspeakSpeaker
from eval.voice import QUESTION_RATE

from tests.web.conftest import Servers, launch_chromium, screenshot

pytestmark = pytest.mark.slow
SPOKEN_5B = "Ai chủ trì nhiệm vụ năm b của kế hoạch chuyển đổi số năm hai nghìn không trăm hai mươi sáu?"


@pytest.fixture(scope="module")
def voice_servers(corpus_runtime: Runtime, whisper_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    running = Servers(corpus_runtime, tmp_path_factory.mktemp("voice-web"), stt_model=whisper_model)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def microphone_page(playwright_driver, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:  # type: ignore[no-untyped-def]
    wav = tmp_path_factory.mktemp("mic") / "question.wav"
    wav.write_bytes(EspeakSpeaker("vi", QUESTION_RATE).speak(SPOKEN_5B))
    browser = launch_chromium(
        playwright_driver,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    context.grant_permissions(["microphone"])
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()
    browser.close()


def test_push_to_talk_fills_the_question_then_the_answer_can_be_heard(microphone_page, voice_servers: Servers) -> None:
    page = microphone_page
    page.goto(f"{voice_servers.api}/")
    chat = page.locator("#chat .panel")
    mic = chat.locator("button.mic")
    mic.click()  # click to start …
    expect(mic).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(6500)  # the prepared question lasts about six seconds
    with page.expect_response(lambda r: r.url.endswith("/api/voice/transcribe"), timeout=60_000) as transcribed:
        mic.click()  # … and again to stop
    assert transcribed.value.status == 200
    heard = transcribed.value.json()
    print("heard:", heard)
    # MediaRecorder's webm/opus of the fake microphone reached the server whole.
    assert heard["language"] == "vi" and 5.0 < heard["duration_s"] < 9.0
    box = chat.locator("textarea")
    if heard["text"]:
        expect(box).to_have_value(heard["question"])  # in the box, numbers written, for correction
        assert "Kiểm tra lại câu hỏi" in chat.locator(".voice-status").inner_text()
    else:  # Whisper base may hear nothing in synthetic speech: the user is told so
        assert "Không nghe rõ" in chat.locator(".voice-status").inner_text()
    screenshot(page, "console-voice-transcript")
    # The official corrects what was misheard, then sends.
    box.fill("Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?")
    box.press("Enter")
    answer = chat.locator(".msg.bot:not(.greeting):not([aria-busy])").last
    listen = answer.locator("button.listen")
    listen.wait_for()
    assert "Nghe câu trả lời" in listen.inner_text()
    with page.expect_response(lambda r: r.url.endswith("/api/voice/speak")) as spoken:
        listen.click()
    assert spoken.value.status == 200 and spoken.value.headers["content-type"] == "audio/wav"
    expect(listen).to_have_attribute("aria-pressed", "true")  # playing; a second click stops it
    listen.click()
    expect(listen).to_have_attribute("aria-pressed", "false")
    screenshot(page, "console-voice-listen")
