"""What a Zalo user reads: short citation lines and messages cut within Zalo's limit."""

from __future__ import annotations

from assistant.core import Assistant
from assistant.zalo.text import ZALO_TEXT_LIMIT, citation_line, render_answer, split_message

from tests.conftest import PLAN_2024, PLAN_2026


def test_short_text_is_one_message() -> None:
    assert split_message("Xin chào") == ["Xin chào"]
    assert split_message("   ") == []


def test_long_text_is_cut_at_lines_within_the_limit_and_numbered() -> None:
    lines = [f"- Nhiệm vụ {i}: Sở Thông tin và Truyền thông chủ trì, hoàn thành tháng {i % 12 + 1}/2026 [{i}]" for i in range(120)]
    text = "\n".join(lines)
    parts = split_message(text, 1000)
    assert len(parts) > 1
    assert all(len(p) <= 1000 for p in parts)
    assert [p.rsplit(" (", 1)[1] for p in parts] == [f"{i}/{len(parts)})" for i in range(1, len(parts) + 1)]
    # Cut between lines: every line arrives whole, in order, nothing lost.
    rebuilt = [line for p in parts for line in p.rsplit(" (", 1)[0].split("\n")]
    assert rebuilt == lines


def test_a_run_without_spaces_is_still_cut() -> None:
    parts = split_message("đ" * 4500)
    assert all(len(p) <= ZALO_TEXT_LIMIT for p in parts)
    assert "".join(p.rsplit(" (", 1)[0] for p in parts) == "đ" * 4500


def test_citation_line_is_short(assistant: Assistant) -> None:
    line = citation_line({"id": 1, "doc": PLAN_2024, "section": "III.5.b", "page": None}, assistant.data)
    assert line == "[1] Kế hoạch 93/KH-UBND, mục III.5.b"
    english = citation_line({"id": 2, "doc": PLAN_2026, "section": "II.1", "page": 3}, assistant.data, "en")
    assert english == "[2] Kế hoạch 23/KH-UBND, section II.1, page 3"


def test_a_very_long_answer_is_cut_and_keeps_the_sources_of_what_it_shows(assistant: Assistant) -> None:
    answer = assistant.ask("Những nhiệm vụ nào Sở Khoa học và Công nghệ chủ trì trong kế hoạch chuyển đổi số năm 2026?").to_dict()
    assert len(answer["answer"]) > 6000, "the test needs a long list"
    text = render_answer(answer, assistant.data)
    body, sources = text.split("\n\nNguồn:\n")
    assert "hãy hỏi cụ thể hơn" in body
    cited = {line.split("]")[0] + "]" for line in sources.split("\n")}
    assert cited == {f"[{c['id']}]" for c in answer["citations"] if f"[{c['id']}]" in body}
    assert 1 < len(split_message(text)) <= 3
