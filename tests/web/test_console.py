"""The officials' console in a real browser: chat with the cited passage highlighted in its
document, the task browser's filters, sorting and CSV export, and the document list."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import PLAN_2026
from tests.web.conftest import Servers, screenshot

pytestmark = pytest.mark.slow


def test_chat_shows_the_cited_passage_in_its_document(page, servers: Servers) -> None:
    page.goto(f"{servers.api}/")
    chat = page.locator("#chat .panel")
    chat.locator("textarea").fill("Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?")
    chat.locator("textarea").press("Enter")
    answer = chat.locator(".msg.bot:not(.greeting):not([aria-busy])").last
    answer.locator(".chip").first.click()
    cited = page.locator("#source-lines li.cited")
    cited.first.wait_for()
    assert "III.5.b" in page.locator("#source-meta").inner_text()
    # The highlighted lines are the citation's span, shown among their neighbours.
    assert cited.count() >= 3 and page.locator("#source-lines li:not(.cited)").count() > 0
    assert "Tháng 9/2026" in " ".join(cited.all_inner_texts())
    assert not chat.locator(".source").is_visible()  # shown beside the chat, not inside it
    screenshot(page, "console-chat-source")


def filter_tasks(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("#task-filters").get_by_role("button", name="Lọc", exact=True).click()
    page.locator("#tasks[aria-busy=false]").wait_for()


def test_task_browser_filters_sorts_and_exports(page, servers: Servers) -> None:
    page.goto(f"{servers.api}/")
    page.get_by_role("tab", name="Nhiệm vụ").click()
    form = page.locator("#task-filters")
    page.locator("#tasks[aria-busy=false]").wait_for()
    everything = page.locator("#tasks tbody tr").count()
    form.locator("select[name=doc]").select_option(PLAN_2026)
    form.locator("input[name=agency]").fill("So Y te")  # typed without diacritics
    form.locator("select[name=role]").select_option("lead")
    filter_tasks(page)
    rows = page.locator("#tasks tbody tr")
    n = rows.count()
    assert 0 < n < everything
    assert all("Sở Y tế" in lead for lead in page.locator("#tasks tbody td:nth-child(4)").all_inner_texts())

    page.locator("#tasks th button[data-key=deadline]").click()
    page.locator("#tasks th button[data-key=deadline]").click()  # descending
    assert page.locator("#tasks th:nth-child(6)").get_attribute("aria-sort") == "descending"
    deadlines = page.evaluate(
        "() => window.fetch(document.querySelector('#export').href.replace('format=csv', 'format=json')).then(r => r.json())"
    )["tasks"]
    expected_first = max(deadlines, key=lambda t: t["deadline"]["end"] or "9999")
    assert page.locator("#tasks tbody tr td:nth-child(2)").first.inner_text() == expected_first["section"]
    screenshot(page, "console-tasks")

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất CSV").click()
    body = download.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(body)))
    assert len(exported) == n
    assert all("Sở Y tế" in row["Cơ quan chủ trì"] for row in exported)

    form.locator("input[name=due_after]").fill("2026-04")
    form.locator("input[name=due_before]").fill("2026-06")
    form.locator("input[name=agency]").fill("")
    filter_tasks(page)
    windows = page.locator("#tasks tbody td:nth-child(6)").all_inner_texts()
    assert windows and all(any(m in w for m in ("4/2026", "5/2026", "6/2026", "II/2026")) for w in windows), windows


def test_document_list(page, servers: Servers) -> None:
    page.goto(f"{servers.api}/")
    page.get_by_role("tab", name="Văn bản").click()
    rows = page.locator("#docs tbody tr")
    rows.first.wait_for()
    assert rows.count() == 5
    assert PLAN_2026 in page.locator("#docs").inner_text()
    screenshot(page, "console-documents")
