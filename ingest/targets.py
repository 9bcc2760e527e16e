"""Target rows (chỉ tiêu) recovered from flattened tables.

The 2026 plan's target table has the columns STT | Chỉ tiêu | Mục tiêu năm 2030 | Mục
tiêu năm 2026 | Cơ quan chủ trì, but text extraction flattened it into one fragment per
line: "1.4", "Tỷ lệ giao dịch … 'phi tiếp xúc';", "100% 95%", "Văn phòng UBND thành phố".
The parser already places the fragments under the row's number (``II.3.1.4``); here each
row is split into indicator, one value per year column (recognised by what values look
like: percentages, "≥ 0,75", read by OCR as "? 0,75") and the lead agency (gazetteer).
Every row keeps its line span; a row whose cells could not all be placed gets a lower
confidence and is still indexed as text.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from ingest.agencies import find_agencies
from ingest.records import TargetRecord
from ingest.structure import Block, BlockKind, format_path
from ingest.text import fold

# "Mục tiêu năm 2026" column headers (OCR: "Mite tiêu nam 2026", "Muc tiêu narn 2026").
_YEAR_COLUMN = re.compile(r"ti\w{0,2}u\s+n\w{1,2}m\s+(20\d\d)")
_HEADER_REPEAT = re.compile(r"\bstt\b")
# A value cell: "95%", "35% - 40%", "≥ 0,75" (OCR "? 0,75", "~ 90%").
_VALUE = re.compile(
    r"(?<![\w.,])(?:[?≥≤~>]\s*)?\d{1,3}(?:[.,]\d+)?\s*%(?:\s*[-–]\s*\d{1,3}(?:[.,]\d+)?\s*%)?"
    r"|(?<![\w.,])[?≥≤~]\s*\d{1,3}(?:[.,]\d+)?(?![\w%])"
)
_COMPARATOR = str.maketrans({"?": "≥", "~": "≥"})


def _year_columns(text: str) -> list[str]:
    years = list(OrderedDict.fromkeys(_YEAR_COLUMN.findall(fold(text))))
    return years if len(years) >= 2 else []


def _display_value(raw: str) -> str:
    value = " ".join(raw.split()).translate(_COMPARATOR)
    return re.sub(r"≥\s*", "≥ ", value)


def _split_merged_rows(number: tuple[int, int], text: str) -> list[tuple[tuple[int, int], str]]:
    """OCR can merge the next row in, its number read as "1 4": split there."""
    major, minor = number
    rows = []
    while True:
        nxt = re.search(rf"(?<![\d.,])\b{major}\s*[ .]\s*{minor + 1}\s+(?=[A-ZÀ-ỸĐa-zđ'\"])", text)
        if not nxt or nxt.start() == 0:
            rows.append(((major, minor), text))
            return rows
        rows.append(((major, minor), text[: nxt.start()]))
        text = text[nxt.end() :]
        minor += 1


def _parse_row(text: str, years: list[str]) -> tuple[str, dict[str, str], str, float]:
    """(indicator, values by year, agency text, confidence) of one row's text."""
    header = _HEADER_REPEAT.search(fold(text))
    if header:
        text = text[: header.start()]
    matches = list(_VALUE.finditer(text))
    run: list[re.Match[str]] = []
    for match in matches:
        if run and text[run[-1].end() : match.start()].strip():
            run = []
        run.append(match)
    if not run:
        return text.strip(" ;."), {}, "", 0.3
    cells = run[-len(years) :]
    values = {year: _display_value(m.group(0)) for year, m in zip(years, cells, strict=False)}
    indicator = text[: cells[0].start()].strip(" ;.")
    agency = text[cells[-1].end() :].strip(" ;.")
    confidence = 1.0 if len(cells) == len(years) else 0.6
    return indicator, values, agency, confidence


def extract_targets(doc_id: str, blocks: list[Block]) -> list[TargetRecord]:
    """Target rows of every table whose header names year columns."""
    targets: list[TargetRecord] = []
    i = 0
    while i < len(blocks):
        years = _year_columns(blocks[i].text) if blocks[i].kind in (BlockKind.NUMBER, BlockKind.TEXT) else []
        if not years:
            i += 1
            continue
        table_path = blocks[i].path
        groups: OrderedDict[tuple[str, ...], list[Block]] = OrderedDict()
        j = i + 1
        while j < len(blocks) and blocks[j].path[: len(table_path)] == table_path and blocks[j].kind in (
            BlockKind.NUMBER,
            BlockKind.TEXT,
        ):
            if len(blocks[j].path) > len(table_path):
                groups.setdefault(blocks[j].path, []).append(blocks[j])
            j += 1
        for path, members in groups.items():
            row_number = path[len(table_path) :]
            text = " ".join(b.text for b in members)
            if len(row_number) == 2 and all(p.isdigit() for p in row_number):
                text = re.sub(rf"^\s*{row_number[0]}\s*[.]\s*{row_number[1]}\b\.?", "", text)
                rows = _split_merged_rows((int(row_number[0]), int(row_number[1])), text)
            else:
                rows = [((0, 0), text)]
            for k, ((major, minor), row_text) in enumerate(rows):
                indicator, values, agency, confidence = _parse_row(row_text, years)
                if not indicator:
                    continue
                section_path = path if k == 0 else (*table_path, str(major), str(minor))
                mentions = find_agencies(agency) if agency else []
                lead = [m.name for m in mentions if m.canonical]
                if agency and not lead:
                    confidence = min(confidence, 0.6)
                targets.append(
                    TargetRecord(
                        doc_id=doc_id,
                        section=format_path(section_path),
                        indicator=indicator,
                        values=values,
                        lead=lead,
                        lead_source=agency,
                        lines=(members[0].start, members[-1].end),
                        page=members[0].page,
                        confidence=confidence,
                    )
                )
        i = j
    return targets
