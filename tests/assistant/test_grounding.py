"""Checks on generated answers: citations, figures, agencies, language, substance."""

from __future__ import annotations

from assistant.grounding import CitationFilter, check

PASSAGES = {
    1: "Tổ chức Tuần lễ AI Đà Nẵng; cơ quan chủ trì: Sở Khoa học và Công nghệ; hoàn thành năm 2026.",
    2: "Có ít nhất 05 sản phẩm thử nghiệm có kiểm soát (sandbox) được triển khai.",
}
QUESTION = "Ai tổ chức Tuần lễ AI Đà Nẵng?"


def test_filter_drops_unknown_markers_even_split_across_pieces() -> None:
    filt = CitationFilter({1, 2})
    pieces = ["Sở Khoa học và Công nghệ [", "1] tổ chức, xem thêm [", "7", "] và [2", "]."]
    out = "".join(filt.feed(p) for p in pieces) + filt.flush()
    assert out == "Sở Khoa học và Công nghệ [1] tổ chức, xem thêm  và [2]."


def test_grounded_answer_passes() -> None:
    verdict = check("Sở Khoa học và Công nghệ chủ trì Tuần lễ AI Đà Nẵng, hoàn thành năm 2026 [1].", PASSAGES, QUESTION, "vi")
    assert verdict.ok and verdict.cited == (1,)


def test_a_citation_of_a_passage_not_given_is_rejected() -> None:
    # The filter would have removed "[3]"; an answer left with no valid citation is rejected.
    assert not check("Sở Khoa học và Công nghệ chủ trì [3].", PASSAGES, QUESTION, "vi").ok
    assert check("Sở Khoa học và Công nghệ chủ trì.", PASSAGES, QUESTION, "vi").reason == "no valid citation"


def test_changed_figures_and_agencies_are_rejected() -> None:
    assert "figure" in check("Có 10 sản phẩm sandbox được triển khai [2].", PASSAGES, "Bao nhiêu sandbox?", "vi").reason
    assert "agency" in check("Sở Y tế chủ trì Tuần lễ AI [1].", PASSAGES, QUESTION, "vi").reason
    # Same figure written another way is the same figure.
    assert check("Có ít nhất 5 sản phẩm sandbox được triển khai [2].", PASSAGES, "Bao nhiêu sandbox?", "vi").ok


def test_wrong_language_and_empty_restatements_are_rejected() -> None:
    assert check("The Department of Science and Technology organises it [1].", PASSAGES, QUESTION, "vi").reason == "not in vi"
    assert check("Sở Khoa học và Công nghệ tổ chức Tuần lễ AI [1].", PASSAGES, "Who organises the AI Week?", "en").reason == "not in en"
    restated = check("Ai tổ chức Tuần lễ AI Đà Nẵng [1]?", PASSAGES, QUESTION, "vi")
    assert restated.reason == "restates the question"


def test_a_line_said_twice_is_rejected() -> None:
    # The small model repeats a list item in place of one it could not read.
    twice = "- Sở Khoa học và Công nghệ chủ trì Tuần lễ AI Đà Nẵng\n- Sở Khoa học và Công nghệ chủ trì Tuần lễ AI Đà Nẵng [1]"
    assert check(twice, PASSAGES, QUESTION, "vi").reason == "repetitive"
    once = "- Sở Khoa học và Công nghệ chủ trì Tuần lễ AI Đà Nẵng [1]\n- Hoàn thành năm 2026 [1]"
    assert check(once, PASSAGES, QUESTION, "vi").ok
