"""Target rows of tables that kept their columns as tab-separated cells.

The 2024 plan prints its targets as ``STT | Chỉ tiêu | Mục tiêu năm 2025 | Kết quả năm 2023 |
Mục tiêu 2024 | Cơ quan chủ trì | Ghi chú``, one row a line, cells split by tabs. The header
repeats on every page, groups are Roman-numbered rows ("II | Kinh tế số"), and a row broken
by a page continues on a line with an empty first cell ("| GRDP | | | | | Năng"). Columns are
found by their header, so another table with other years or column order reads the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.agencies import find_agencies
from ingest.loaders import SourceLine
from ingest.records import TargetRecord
from ingest.structure import Block, format_path
from ingest.text import fold

_TARGET_COLUMN = re.compile(r"^(muc tieu|chi tieu|ke hoach)\b.*\b(20\d\d)\b")
_INDICATOR_COLUMN = re.compile(r"^(chi tieu|noi dung|ten chi tieu)\b(?!.*\b20\d\d\b)")
_LEAD_COLUMN = re.compile(r"co quan chu tri|don vi chu tri|chu tri")
_ROMAN = re.compile(r"^[IVX]{1,4}$")
# Values typed as LaTeX by the converter: "$\geq 10\%$".
_LATEX = (("$", ""), ("\\geq", "≥"), ("\\leq", "≤"), ("\\sim", "~"), ("\\%", "%"), ("\\,", ""))


@dataclass
class _Columns:
    indicator: int
    targets: dict[int, str]  # column index → year
    lead: int | None


@dataclass
class _Row:
    group: str
    number: str
    cells: list[str]
    start: int
    end: int
    page: int | None
    extra: list[list[str]] = field(default_factory=list)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _header(cells: list[str]) -> _Columns | None:
    folded = [fold(c) for c in cells]
    indicator = next((i for i, c in enumerate(folded) if _INDICATOR_COLUMN.search(c)), None)
    targets = {i: m.group(2) for i, c in enumerate(folded) if (m := _TARGET_COLUMN.search(c)) and i != indicator}
    if indicator is None or not targets:
        return None
    lead = next((i for i, c in enumerate(folded) if _LEAD_COLUMN.search(c)), None)
    return _Columns(indicator, targets, lead)


def clean_value(cell: str) -> str:
    """A value cell as shown: LaTeX and doubled spaces removed."""
    for old, new in _LATEX:
        cell = cell.replace(old, new)
    return " ".join(cell.split()).strip(" ;")


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _section_of(line_no: int, blocks: list[Block]) -> tuple[str, ...]:
    """Outline path of the heading the table sits under."""
    path: tuple[str, ...] = ()
    for block in blocks:
        if block.start > line_no:
            break
        path = block.path
    return path


def extract_tsv_targets(doc_id: str, lines: list[SourceLine], blocks: list[Block]) -> list[TargetRecord]:
    """Target rows of every tab-separated table whose header names target-year columns."""
    targets: list[TargetRecord] = []
    columns: _Columns | None = None
    table_path: tuple[str, ...] = ()
    group = ""
    row: _Row | None = None

    def close() -> None:
        nonlocal row
        if row is None or columns is None:
            row = None
            return
        merged = list(row.cells)
        for more in row.extra:
            for i, text in enumerate(more):
                if text and i < len(merged):
                    merged[i] = f"{merged[i]} {text}".strip()
                elif text:
                    merged.append(text)
        indicator = clean_value(_cell(merged, columns.indicator))
        values = {year: clean_value(_cell(merged, i)) for i, year in sorted(columns.targets.items(), key=lambda kv: kv[1])}
        values = {year: v for year, v in values.items() if v}
        lead_text = _cell(merged, columns.lead)
        lead = [m.name for m in find_agencies(lead_text) if m.canonical] if lead_text else []
        if indicator:
            path = (*table_path, *(p for p in (row.group, row.number) if p))
            confidence = 1.0 if values and (lead or not lead_text) else 0.6
            targets.append(
                TargetRecord(
                    doc_id=doc_id,
                    section=format_path(path),
                    indicator=indicator,
                    values=values,
                    lead=lead,
                    lead_source=lead_text,
                    lines=(row.start, row.end),
                    page=row.page,
                    confidence=confidence,
                )
            )
        row = None

    for line in lines:
        if "\t" not in line.text:
            if line.text.strip():
                close()
                columns = None
            continue
        cells = _cells(line.text)
        header = _header(cells)
        if header is not None:
            if columns is None:
                table_path, group = _section_of(line.no, blocks), ""
            # A header repeated by a page break: the row before it may go on after it.
            columns = header
            continue
        if columns is None:
            continue
        first = cells[0]
        if _ROMAN.match(first):
            close()
            group = first
            continue
        if re.fullmatch(r"\d{1,3}", first):
            close()
            row = _Row(group, first, cells, line.no, line.no, line.page)
            continue
        if not first and row is not None:
            row.extra.append(cells)
            row.end = line.no
    close()
    return targets
