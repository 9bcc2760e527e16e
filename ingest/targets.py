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

from ingest.agencies import agency_share, find_agencies
from ingest.loaders import SourceLine
from ingest.records import TargetRecord
from ingest.structure import Block, BlockKind, format_path, roman_to_int
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


# Period tables ("CHỈ TIÊU CỤ THỂ THEO PHÂN KỲ …"): groups "I ĐẾN HẾT NĂM 2025", rows
# "1.1 Tỷ lệ phủ sóng 5G trên địa bàn ≥ 80% Sở Khoa học và Công nghệ", the figure inside
# the indicator's own words and the agencies on the last line(s).
_PERIOD_TITLE = re.compile(r"chi tieu .{0,40}phan ky|chi tieu cu the theo")
_PERIOD_GROUP = re.compile(r"^\s*([ivx]{1,4})\s+den\s+(?:het\s+)?nam\s+(20\d\d)\b")
_PERIOD_ROW = re.compile(r"^\s*(\d{1,2}\.\d{1,2})\s+(\S.*)$")
_CATEGORY_ROW = re.compile(r"^\s*\d{1,2}\s+\S")


def _agency_tail(lines: list[str]) -> tuple[list[str], list[str], int]:
    """(lead, coordinating, index where the agency lines start) of a row's lines."""
    cut = len(lines)
    for i in range(len(lines) - 1, 0, -1):
        if agency_share(lines[i]) < 0.6:
            break
        cut = i
    tail_text = " ".join(lines[cut:])
    mentions = [m.name for m in find_agencies(tail_text) if m.canonical]
    return mentions[:1], mentions[1:], cut


def extract_period_targets(doc_id: str, lines: list[SourceLine]) -> list[TargetRecord]:
    """Target rows of tables grouped by period ("ĐẾN HẾT NĂM 2025")."""
    # The table title, not a sentence that mentions it: a period group follows within a page.
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if _PERIOD_TITLE.search(fold(ln.text)) and any(_PERIOD_GROUP.match(fold(x.text)) for x in lines[i : i + 40])
        ),
        None,
    )
    if start is None:
        return []
    appendix = next(
        (re.sub(r"\D", "", fold(lines[j].text)) or str(roman_to_int(fold(lines[j].text).split()[-1].upper()) or "")
         for j in range(start, max(start - 4, -1), -1) if fold(lines[j].text).strip().startswith("phu luc")),
        "",
    )
    targets: list[TargetRecord] = []
    group, year = "", ""
    row: list[SourceLine] = []
    number = ""

    def close() -> None:
        if not row or not year:
            return
        texts = [ln.text.strip() for ln in row if ln.text.strip()]
        texts[0] = _PERIOD_ROW.match(texts[0]).group(2)  # type: ignore[union-attr]
        lead, coordinating, cut = _agency_tail(texts) if len(texts) > 1 else ([], [], len(texts))
        body = " ".join(texts[:cut])
        if not lead:
            # Agency on the same line as the figure: "… ≥ 80% Sở Khoa học và Công nghệ".
            mentions = [m for m in find_agencies(body) if m.canonical]
            if mentions and body.rstrip(" .").endswith(mentions[-1].source):
                lead = [mentions[-1].name]
                body = body[: body.rfind(mentions[-1].source)].strip()
        figure = _VALUE.search(body) or re.search(r"\b\d{1,3}(?:[.,]\d+)?\s*%", body)
        value = _display_value(figure.group(0)) if figure else body[:120]
        targets.append(
            TargetRecord(
                doc_id=doc_id,
                section=".".join(p for p in (f"PL{appendix}", group, number) if p),
                indicator=body.strip(" ;."),
                values={year: value},
                lead=lead,
                lead_source=" ".join(texts[cut:]),
                lines=(row[0].no, row[-1].no),
                page=row[0].page,
                confidence=0.9 if lead and figure else 0.6,
            )
        )

    for line in lines[start + 1 :]:
        folded = fold(line.text)
        if folded.strip().startswith("phu luc"):
            break
        grouped = _PERIOD_GROUP.match(folded)
        if grouped:
            close()
            row, group, year = [], grouped.group(1).upper(), grouped.group(2)
            continue
        match = _PERIOD_ROW.match(line.text)
        if match:
            close()
            row, number = [line], match.group(1)
            continue
        if _CATEGORY_ROW.match(line.text) or re.match(r"^\s*stt\b", folded):
            close()
            row = []
            continue
        if row and line.text.strip() and not re.match(r"^\s*(chi tieu chi tiet|hoach hanh dong|co quan|bao cao)", folded):
            row.append(line)
    close()
    return targets
