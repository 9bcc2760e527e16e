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


@pytest.mark.parametrize("name", ["dev.jsonl", "wide", "fresh"])
def test_shipped_gold_sets_point_at_real_lines(name: str) -> None:
    # Every evidence span lies inside its document and holds the item's verbatim quote, so a
    # citation hit is measured against lines that really say the answer.
    import json

    root = Path(__file__).resolve().parents[2]
    path = root / "eval" / "data" / name
    items = load_gold(path)
    assert len({i.id for i in items}) == len(items)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    quotes = {row["id"]: row.get("quote", "") for f in files for row in map(json.loads, f.read_text("utf-8").splitlines()) if row}
    for item in items:
        assert item.evidence, item.id
        spans = []
        for evidence in item.evidence:
            lines = (root / "data" / "corpus" / evidence.doc).read_text("utf-8").splitlines()
            first, last = evidence.lines
            assert 1 <= first <= last <= len(lines), item.id
            spans.append(" ".join(" ".join(lines[first - 1 : last]).split()))
        quote = " ".join(quotes[item.id].split())
        assert any(quote in span for span in spans), item.id
