"""Scoring of the gold set."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.gold import Evidence, GoldFileError, GoldItem, load_gold
from eval.metrics import answer_correct, first_relevant_rank, overlaps

ITEM = GoldItem("1", "q", "task_lead", "vi", [["Sở Khoa học và Công nghệ", "Sở KH&CN"], ["6/2026", "tháng 6"]])


def test_answer_match_is_case_and_diacritic_insensitive() -> None:
    assert answer_correct(ITEM, "SO KHOA HOC VA CONG NGHE chu tri, han thang 6 nam 2026", False)
    assert answer_correct(ITEM, "Sở KH&CN; hạn 6/2026", False)
    assert not answer_correct(ITEM, "Sở KH&CN; hạn 2026", False)  # one group unmatched
    assert not answer_correct(ITEM, "Sở KH&CN 6/2026", True)  # a refusal is not an answer


def test_unanswerable_needs_refusal() -> None:
    item = GoldItem("2", "q", "unanswerable", "vi", [])
    assert answer_correct(item, "không nêu", True)
    assert not answer_correct(item, "27%", False)


def test_overlap_and_rank() -> None:
    evidence = [Evidence("a.txt", (10, 20))]
    assert overlaps("a.txt", (20, 25), evidence)
    assert not overlaps("a.txt", (21, 25), evidence)
    assert not overlaps("b.txt", (10, 20), evidence)
    assert first_relevant_rank([("b.txt", (1, 2)), ("a.txt", (5, 10))], evidence) == 2
    assert first_relevant_rank([("b.txt", (1, 2))], evidence) is None


def test_shipped_gold_loads() -> None:
    items = load_gold(Path(__file__).resolve().parents[2] / "eval" / "data" / "dev.jsonl")
    assert len(items) >= 20 and all(i.question for i in items)


def test_bad_gold_file(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_text('{"question": "q"}\n{oops\n', encoding="utf-8")
    with pytest.raises(GoldFileError, match="2"):
        load_gold(bad)
    with pytest.raises(GoldFileError):
        load_gold(tmp_path / "missing.jsonl")
