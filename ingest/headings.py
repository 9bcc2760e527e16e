"""Short section headings that OCR stripped of vowels and spaces ("3.Htngs", "1.ChuIdê")
are put right from a list of the section names such plans use (``data/headings.tsv``):
the damaged letters must have the same consonants, in order, as the name, and look alike."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ingest.text import fold

_DATA = Path(__file__).resolve().parent / "data" / "headings.tsv"
_MIN_SIMILARITY = 70


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", fold(text).lower())


def _skeleton(letters: str) -> str:
    return re.sub(r"[aeiouy]", "", letters)


@lru_cache(maxsize=1)
def _names() -> list[tuple[str, str, str]]:
    rows = [line.strip() for line in _DATA.read_text(encoding="utf-8").splitlines()]
    names = [row for row in rows if row and not row.startswith("#")]
    return [(name, _letters(name), _skeleton(_letters(name))) for name in names]


def repair_heading(title: str) -> str:
    """``title`` with a damaged section name at its start replaced by the known name."""
    tokens = title.split()
    for count in range(min(4, len(tokens)), 0, -1):
        head = " ".join(tokens[:count])
        letters = _letters(head)
        skeleton = _skeleton(letters)
        if len(skeleton) < 3:
            continue
        best, best_score = None, 0.0
        for name, name_letters, name_skeleton in _names():
            if name_skeleton != skeleton or (name_letters == letters and fold(head) == fold(name)):
                continue
            score = fuzz.ratio(letters, name_letters)
            if score > best_score:
                best, best_score = name, score
        if best is not None and best_score >= _MIN_SIMILARITY:
            return " ".join([best, *tokens[count:]])
    return title
