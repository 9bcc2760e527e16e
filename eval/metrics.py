"""Scoring functions: answer match, citation hit, ranking metrics, percentiles."""

from __future__ import annotations

import re

import numpy as np

from eval.gold import Evidence, GoldItem
from ingest.text import fold


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w%&,./-]", " ", fold(text)).split())


def answer_correct(item: GoldItem, answer: str, refused: bool) -> bool:
    """Every ``must_contain`` group matched (case/diacritic-insensitive); unanswerable → refused."""
    if not item.answerable:
        return refused
    if refused:
        return False
    text = f" {_norm(answer)} "
    return all(any(_norm(alt) in text for alt in group) for group in item.must_contain)


def overlaps(doc: str, lines: tuple[int, int], evidence: list[Evidence]) -> bool:
    """True when ``doc``/``lines`` overlaps one of the evidence spans."""
    return any(doc == e.doc and lines[0] <= e.lines[1] and e.lines[0] <= lines[1] for e in evidence)


def first_relevant_rank(results: list[tuple[str, tuple[int, int]]], evidence: list[Evidence]) -> int | None:
    """1-based rank of the first result overlapping the evidence."""
    for rank, (doc, lines) in enumerate(results, 1):
        if overlaps(doc, lines, evidence):
            return rank
    return None


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0 when empty)."""
    return float(np.percentile(values, q)) if values else 0.0


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words) between two texts, case and punctuation ignored;
    sum both over a set for the corpus WER."""
    ref, hyp = _words(reference), _words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        previous, row[0] = row[:], i
        for j in range(1, len(hyp) + 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ref[i - 1] != hyp[j - 1]))
    return row[len(hyp)], len(ref)
