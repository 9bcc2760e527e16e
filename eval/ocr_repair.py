"""Measure the OCR repair (``ingest/ocr_repair.py``) on hand-corrected damaged lines.

Gold: ``eval/data/ocr_repair_gold.tsv`` — damaged source lines of the two OCR-damaged
plans, copied verbatim, each with its corrected Vietnamese. Every line is repaired twice:

* alone (``line``), and
* inside its paragraph (``paragraph``): the paragraph's lines, as ``ingest.clean`` joins
  them, are repaired together (joined by newlines) and the line is taken back out, so the
  repair can use the words of the neighbouring lines.

The output is aligned with the corrected text over syllables (difflib) and a syllable counts
as right when it equals the corrected one exactly, diacritics included (case is ignored: OCR
case noise such as "ChInh" is not what the repair is for). "worse" counts syllables that were
right in the OCR text and wrong after repair. The script also times the repair of each whole
damaged document and checks that the clean lines of clean documents come back unchanged.

    python -m eval.ocr_repair
"""

from __future__ import annotations

import csv
import difflib
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import clean_lines, join_paragraphs
from ingest.loaders import SourceLine
from ingest.ocr_repair import _cached_candidates, load_lexicon, repair_text

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "eval" / "data" / "ocr_repair_gold.tsv"
CORPUS = ROOT / "data" / "corpus"
CLEAN_DOCS = ("002_1dc0078f08dd6a9c", "001_aa4dc1fc29646ddc", "003_3f9615a04b505aa9")
CLEAN_LINES = 300  # first non-empty lines of each clean document that must stay unchanged
_SYLLABLE = re.compile(r"[0-9a-zà-ỹđ]+")


@dataclass(frozen=True)
class GoldLine:
    doc: str
    line: int  # 1-based
    damaged: str
    corrected: str


def load_gold(path: Path = GOLD) -> list[GoldLine]:
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r and not r[0].startswith("#")]
    return [GoldLine(doc, int(no), damaged, corrected) for doc, no, damaged, corrected in rows]


def syllables(text: str) -> list[str]:
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


def right_syllables(hypothesis: str, reference: str) -> list[bool]:
    """For each syllable of ``reference``: does the aligned hypothesis have it exactly?"""
    ref, hyp = syllables(reference), syllables(hypothesis)
    right = [False] * len(ref)
    for block in difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_matching_blocks():
        for i in range(block.a, block.a + block.size):
            right[i] = True
    return right


def _source_lines(doc: str) -> list[SourceLine]:
    text = (CORPUS / f"{doc}.txt").read_text(encoding="utf-8")
    return [SourceLine(i, t) for i, t in enumerate(text.splitlines(), 1)]


def repair_in_paragraph(doc: str, line_no: int) -> str:
    """Repair the paragraph holding ``line_no`` (lines joined by newlines) and return that line."""
    cleaned = clean_lines(_source_lines(doc))
    for paragraph in join_paragraphs(cleaned):
        if paragraph.start <= line_no <= paragraph.end:
            members = [line for line in cleaned if paragraph.start <= line.no <= paragraph.end]
            repaired = repair_text("\n".join(line.text for line in members)).split("\n")
            assert len(repaired) == len(members), "repair must keep the line breaks"
            return repaired[[line.no for line in members].index(line_no)]
    raise ValueError(f"{doc}:{line_no} is in no paragraph (blank or dropped line?)")


def score(gold: list[GoldLine]) -> dict[str, dict[str, int]]:
    """Per document: syllables, and right syllables / made-worse counts per mode."""
    totals: dict[str, dict[str, int]] = {}
    for row in gold:
        t = totals.setdefault(row.doc, {})
        raw = right_syllables(row.damaged, row.corrected)
        t["syllables"] = t.get("syllables", 0) + len(raw)
        t["raw"] = t.get("raw", 0) + sum(raw)
        for mode, repaired in (("line", repair_text(row.damaged)), ("paragraph", repair_in_paragraph(row.doc, row.line))):
            after = right_syllables(repaired, row.corrected)
            t[mode] = t.get(mode, 0) + sum(after)
            t[f"{mode}_worse"] = t.get(f"{mode}_worse", 0) + sum(b and not a for b, a in zip(raw, after, strict=True))
    return totals


def repair_seconds(doc: str) -> float:
    """Wall time of repairing a whole document, candidate cache cleared (lexicon loaded)."""
    text = (CORPUS / f"{doc}.txt").read_text(encoding="utf-8")
    _cached_candidates.cache_clear()
    start = time.perf_counter()
    repair_text(text)
    return time.perf_counter() - start


def changed_clean_lines(doc: str, limit: int = CLEAN_LINES) -> list[tuple[str, str]]:
    lines = [line.text for line in clean_lines(_source_lines(doc))][:limit]
    return [(line, fixed) for line in lines if (fixed := repair_text(line)) != line]


def main() -> None:
    load_lexicon()
    gold = load_gold()
    totals = score(gold)
    print(f"{len(gold)} gold lines; syllable accuracy (exact, with diacritics)")
    print(f"{'document':24} {'syl':>5} {'raw OCR':>8} {'repair line':>12} {'repair para':>12} {'worse l/p':>10} {'time':>7}")
    for doc, t in totals.items():
        n = t["syllables"]
        print(
            f"{doc:24} {n:5d} {t['raw'] / n:8.3f} {t['line'] / n:12.3f} {t['paragraph'] / n:12.3f}"
            f" {t['line_worse']:>4d}/{t['paragraph_worse']:<5d} {repair_seconds(doc):6.2f}s"
        )
    for doc in CLEAN_DOCS:
        changed = changed_clean_lines(doc)
        print(f"clean {doc}: {len(changed)} of first {CLEAN_LINES} lines changed by repair")
        for before, after in changed[:5]:
            print(f"    {before!r} -> {after!r}")


if __name__ == "__main__":
    main()
