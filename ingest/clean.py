"""Clean source lines and join them into paragraphs, keeping every line number.

What is removed: the download watermark that the 2026 plan carries on every page
("taihd2-09/01/2026 15:32:53-taihd2…", printed vertically as one short fragment per
line), page numbers standing alone on a line after it, and empty lines. What is joined:
lines broken mid-sentence, which is how PDFs and OCR deliver paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.loaders import SourceLine
from ingest.text import nfc

_WATERMARK_FRAGMENT_MAX = 4
_WATERMARK_MARKERS = ("taihd",)
# A new paragraph starts at a structural marker: "Phần", Roman numerals, "1.", "1.1.",
# "a)", bullets, or a table row number.
_BLOCK_START = re.compile(
    r"""^\s*(
        (ph[aâầ]n|PH[AÂẦ]N|Ph[^\s]{0,2}n)\s+[IVXLA-D1l]+\b
      | [IVXLl1!]{1,5}\s*[.,]\s*\S
      | \d{1,2}(?!\d)(\s*\.\s*\d{1,2}(?!\d)){0,3}\s*[.)](?!\d)\s*\S
      | \d{1,2}(\.\d{1,2}){1,3}(?!\d)(\s+\S|\s*$)
      | [a-zđA-ZĐ]\s*\)
      | [-–+•*]\s
      | (STT|Stt|STI'|TT)\b
    )""",
    re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.;:!?…”\"»)]\s*$")


@dataclass(frozen=True)
class Paragraph:
    """A logical line: text joined from consecutive source lines ``start``..``end``."""

    text: str
    start: int
    end: int
    page: int | None = None


def _watermark_lines(lines: list[SourceLine]) -> set[int]:
    """Line numbers of watermark fragments: runs of very short lines spelling a marker."""
    marked: set[int] = set()
    run: list[SourceLine] = []

    def flush() -> None:
        joined = "".join(line.text.strip() for line in run).lower()
        if any(marker in joined for marker in _WATERMARK_MARKERS):
            marked.update(line.no for line in run)
        run.clear()

    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            continue  # blank lines do not break a run
        if len(stripped) <= _WATERMARK_FRAGMENT_MAX:
            run.append(line)
        else:
            flush()
    flush()
    return marked


def clean_lines(lines: list[SourceLine]) -> list[SourceLine]:
    """NFC-normalise, drop watermark fragments, page numbers and blank lines."""
    watermark = _watermark_lines(lines)
    kept: list[SourceLine] = []
    after_watermark = False
    for line in lines:
        if line.no in watermark:
            after_watermark = True
            continue
        text = nfc(line.text).strip()
        if not text:
            continue
        # The page number follows the watermark block; elsewhere a lone number can be a
        # table cell, so it stays.
        if after_watermark and re.fullmatch(r"\d{1,3}", text):
            after_watermark = False
            continue
        after_watermark = False
        kept.append(SourceLine(line.no, re.sub(r"\s+", " ", text), line.page))
    return kept


def starts_block(text: str) -> bool:
    """True when a line opens a new structural unit rather than continuing a sentence."""
    return bool(_BLOCK_START.match(text))


def join_paragraphs(lines: list[SourceLine]) -> list[Paragraph]:
    """Join lines broken mid-sentence into paragraphs with their line spans."""
    paragraphs: list[Paragraph] = []
    buffer: list[SourceLine] = []

    def flush() -> None:
        if buffer:
            text = " ".join(line.text for line in buffer)
            paragraphs.append(Paragraph(text, buffer[0].no, buffer[-1].no, buffer[0].page))
            buffer.clear()

    for line in lines:
        if buffer and (starts_block(line.text) or _SENTENCE_END.search(buffer[-1].text)):
            flush()
        buffer.append(line)
    flush()
    return paragraphs
