"""The embeddable widget in a real browser: on a city page of another origin whose CSS is
hostile, it answers a task question with citation chips that open the quoted passage,
keeps the conversation across page navigations, takes feedback, survives an unreachable
API, and works with the keyboard alone and at phone width."""

from __future__ import annotations

import pytest

from tests.conftest import PLAN_2026
from tests.web.conftest import Servers, screenshot

pytestmark = pytest.mark.slow

TASK_QUESTION = "Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026, hạn khi nào?"
WIDGET = "#dnpa-widget"


def open_widget(page, servers: Servers, path: str = "page.html"):  # type: ignore[no-untyped-def]
    page.goto(f"{servers.site}/{path}")
    page.locator(f"{WIDGET} .launcher").click()
    return page.locator(f"{WIDGET} .panel")


def ask(panel, question: str):  # type: ignore[no-untyped-def]
    """Ask and wait for the complete answer (the one after those already shown)."""
    answers = panel.locator(".msg.bot:not(.greeting):not(.error):not([aria-busy])")
    before = answers.count()
    panel.locator("textarea").fill(question)
    panel.locator("textarea").press("Enter")
    answer = answers.nth(before)
    answer.locator(".feedback").wait_for()
    return answer


def shadow_focus(page) -> str:  # type: ignore[no-untyped-def]
    """Class and text of the element focused inside the widget."""
    return page.evaluate(
        """() => { const a = document.querySelector('#dnpa-widget').shadowRoot.activeElement;
                   return a ? (a.className || a.tagName) + '|' + (a.textContent || '').slice(0, 40) : ''; }"""
    )


def test_answers_a_task_question_with_citations_on_a_hostile_page(page, servers: Servers) -> None:
    panel = open_widget(page, servers)
    # First open: a greeting and suggested questions drawn from the plans.
    panel.locator(".suggest button").first.wait_for()
    answer = ask(panel, TASK_QUESTION)
    text = answer.locator(".text").inner_text()
    assert "Tháng 9/2026" in text and "UBND phường, xã, đặc khu" in text
    chip = answer.locator(".chip").first
    assert chip.get_attribute("data-doc") == PLAN_2026 and chip.get_attribute("data-section") == "III.5.b"
    # The answer reaches screen readers through the live region, without citation markers.
    assert "Tháng 9/2026" in panel.locator("[role=status]").inner_text()
    chip.click()
    source = panel.locator(".source")
    assert source.is_visible()
    assert "Kế hoạch 23/KH-UBND" in source.locator("h3").inner_text()
    assert "Mục III.5.b" in source.locator(".meta").inner_text()
    assert "Tháng 9/2026" in source.locator("blockquote").inner_text()  # the verbatim source quote
    screenshot(page, "widget-desktop-answer")

    # The page's CSS did not reach the widget, and the widget did not restyle the page.
    launcher_style = page.locator(f"{WIDGET} .launcher").evaluate(
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.position, s.width, s.fontFamily]; }"
    )
    assert launcher_style[:3] == ["rgb(11, 92, 171)", "fixed", "60px"] and "Comic" not in launcher_style[3]
    assert page.locator(WIDGET).evaluate("e => getComputedStyle(e).visibility") == "visible"
    assert page.locator("#page-button").evaluate("e => getComputedStyle(e).fontSize") == "40px"
    assert page.locator("#page-title").is_visible()


def test_phone_width(browser, servers: Servers) -> None:  # type: ignore[no-untyped-def]
    for width in (360, 320):
        context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
        context.set_default_timeout(20_000)
        page = context.new_page()
        panel = open_widget(page, servers)
        answer = ask(panel, TASK_QUESTION)
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5  # nothing off screen
        assert panel.locator("textarea").is_visible() and answer.locator(".chip").first.is_visible()
        if width == 360:
            screenshot(page, "widget-mobile-360-answer")
            answer.locator(".chip").first.click()
            screenshot(page, "widget-mobile-360-source")
        context.close()


def test_conversation_survives_navigation_and_feedback_is_stored(page, servers: Servers) -> None:
    panel = open_widget(page, servers)
    first = ask(panel, TASK_QUESTION)
    before = servers.app.state.feedback.counts()["up"]
    first.get_by_role("button", name="Có, hữu ích").click()
    first.get_by_text("Cảm ơn góp ý của bạn!").wait_for()
    assert servers.app.state.feedback.counts()["up"] == before + 1

    page.locator("#first-link").click()  # another page of the same site
    page.wait_for_url("**/page2.html")
    panel = page.locator(f"{WIDGET} .panel")
    page.locator(f"{WIDGET} .launcher").click()
    restored = panel.locator(".msg.user")
    restored.first.wait_for()
    assert restored.first.inner_text().endswith(TASK_QUESTION)
    assert "Tháng 9/2026" in panel.locator(".msg.bot .text").first.inner_text()
    # The same session: a follow-up leans on the previous turn.
    follow = ask(panel, "còn nhiệm vụ 5c thì sao?")
    assert follow.locator(".chip").first.get_attribute("data-section") == "III.5.c"


def test_unreachable_api_shows_an_error_and_retry_works(page, servers: Servers) -> None:
    failures = {"left": 1}

    def flaky(route) -> None:  # type: ignore[no-untyped-def]
        if failures["left"]:
            failures["left"] -= 1
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route("**/api/chat", flaky)
    panel = open_widget(page, servers)
    panel.locator("textarea").fill(TASK_QUESTION)
    panel.locator("textarea").press("Enter")
    error = panel.locator(".msg.bot.error")
    error.wait_for()
    assert "Không kết nối được với máy chủ trợ lý" in error.inner_text()
    screenshot(page, "widget-error-retry")
    error.get_by_role("button", name="Thử lại").click()
    answer = panel.locator(".msg.bot:not(.greeting):not(.error):not([aria-busy])").last
    answer.locator(".feedback").wait_for()
    assert "Tháng 9/2026" in answer.inner_text()


def test_keyboard_only(page, servers: Servers) -> None:
    page.goto(f"{servers.site}/page.html")
    page.locator(f"{WIDGET} .launcher").wait_for()
    for _ in range(6):  # the page's own link and button, then the launcher
        page.keyboard.press("Tab")
        if "launcher" in shadow_focus(page):
            break
    assert "launcher" in shadow_focus(page)
    page.keyboard.press("Enter")
    assert shadow_focus(page).startswith("TEXTAREA")  # the dialog opens on the question box
    page.keyboard.type(TASK_QUESTION)
    page.keyboard.press("Enter")
    panel = page.locator(f"{WIDGET} .panel")
    panel.locator(".msg.bot:not(.greeting):not([aria-busy]) .feedback").wait_for()
    for _ in range(12):  # back from the question box to the answer's source chips
        page.keyboard.press("Shift+Tab")
        if shadow_focus(page).startswith("chip"):
            break
    assert shadow_focus(page).startswith("chip")
    page.keyboard.press("Enter")
    assert panel.locator(".source").is_visible() and shadow_focus(page).startswith("source")
    page.keyboard.press("Escape")  # closes the source, back on the chip
    assert not panel.locator(".source").is_visible() and shadow_focus(page).startswith("chip")
    page.keyboard.press("Escape")  # closes the dialog, back on the launcher
    assert not panel.is_visible() and "launcher" in shadow_focus(page)
