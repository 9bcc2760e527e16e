"""Task records from appendix task tables ("DANH MỤC (CÁC) NHIỆM VỤ …").

The Resolution 57 plan and the Đề án list their tasks in appendix tables (STT | Nội dung |
[Lãnh đạo phụ trách] | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Ghi chú / Sản
phẩm). Text extraction flattened each cell into wrapped lines, one column after another.
Rows are found by their numbers (in sequence, so a number inside a cell is not a row);
within a row, the columns are told apart by what they look like: a leader ("PCT UBND
thành phố"), agencies from the gazetteer, a deadline ("Năm 2025", "Quý II/2026",
"Hàng năm"), the rest is the product or note. Which agencies lead and which coordinate
is read from the line layout (a new cell starts on a new line with a new agency); rows
where that is ambiguous get a lower confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.agencies import find_agencies
from ingest.deadline import parse_deadline
from ingest.loaders import SourceLine
from ingest.records import TaskRecord
from ingest.structure import roman_to_int
from ingest.text import fold

_APPENDIX = re.compile(r"^\s*ph\w{0,2} l\w{0,2}c\s*([ivx0-9]*)\s*$")
_TASK_TABLE_TITLE = re.compile(r"danh muc (cac )?nhiem vu")
_ROMAN_ROW = re.compile(r"^\s*([IVX]{1,4})\s*(?:$|\s+(?=[A-ZÀ-ỸĐ]))")
_NUMBER_ROW = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})?)\.?(?:\s*$|\s+(?=\S))")
_LEADER = re.compile(r"(chu tich|pct|pho chu tich)\s+ubnd\s*(tp|thanh pho)?(\s+phu\s*trach)?")
_DEADLINE = re.compile(
    r"\b((?:tu |trong |truoc )?nam 20\d\d|(?:truoc |trong )?quy [ivx1l]+\s*/\s*20\d\d|(?:truoc |trong )?thang \d{1,2}\s*/\s*20\d\d|hang nam|thuong xuyen|"
    r"20\d\d\s*[-–]\s*20\d\d|hoan thanh (trong|truoc)|truoc ngay|giai doan 20\d\d)"
)
_CONTINUES = (",", ";", "-", "và", "va")


@dataclass
class _Row:
    number: tuple[int, ...]
    group: str
    lines: list[SourceLine] = field(default_factory=list)


def _is_next(previous: tuple[int, ...] | None, number: tuple[int, ...]) -> bool:
    """Row numbers run in sequence: 3 → 3.1 → 3.2 → 4 (gaps of one tolerated)."""
    if previous is None:
        return number in ((1,), (1, 1))
    if len(number) == 1:
        return previous[0] < number[0] <= previous[0] + 2
    major, minor = number
    if major == previous[0]:
        return (previous[1] if len(previous) == 2 else 0) < minor <= (previous[1] if len(previous) == 2 else 0) + 2
    return previous[0] < major <= previous[0] + 2 and minor <= 2


def _rows(lines: list[SourceLine]) -> list[_Row]:
    rows: list[_Row] = []
    group = ""
    previous: tuple[int, ...] | None = None
    for line in lines:
        roman = _ROMAN_ROW.match(line.text)
        if roman and roman_to_int(roman.group(1)) and (not group or roman_to_int(roman.group(1)) == (roman_to_int(group) or 0) + 1):
            group, previous = roman.group(1), None
            rows.append(_Row((), group, [line]))  # a group heading, not a task
            continue
        number = _NUMBER_ROW.match(line.text)
        if number:
            parsed = tuple(int(p) for p in number.group(1).split("."))
            if _is_next(previous, parsed):
                previous = parsed
                rows.append(_Row(parsed, group, [line]))
                continue
        if rows:
            rows[-1].lines.append(line)
    return [r for r in rows if r.number]


_LEADER_WORDS = {"chu", "tich", "pct", "pho", "ubnd", "tp", "thanh", "phu", "trach", "lanh", "dao"}
# Words that end a wrapped line in the middle of a sentence.
_OPEN_ENDINGS = (",", ";", "-", " và", " của", " các", " cho", " với", " về", " trong", " theo", " tại", " để")


def _starts_agency_cell(texts: list[str], i: int) -> bool:
    """Line ``i`` opens an agency cell: an agency name (maybe wrapped over the next lines)
    takes the whole line."""
    line = texts[i].lstrip("- ").strip()
    if not line:
        return False
    window = " ".join(t.lstrip("- ").strip() for t in texts[i : i + 3])
    mentions = find_agencies(window)
    if not mentions or not mentions[0].canonical:
        return False
    first = mentions[0].source
    return window.startswith(first[: len(line)]) and len(first) >= 0.8 * len(line.strip(" ;,."))


def _cells(row: _Row, has_leader: bool) -> tuple[str, str, str, str, str]:
    """(content, leader, agency text, deadline text, note) of one row."""
    texts = [ln.text.strip() for ln in row.lines if ln.text.strip()]
    texts[0] = _NUMBER_ROW.sub("", texts[0], count=1).strip()
    boundary = len(texts)
    for i in range(1, len(texts)):
        text, previous = texts[i], texts[i - 1]
        if _LEADER.match(fold(text)):
            boundary = i
            break
        if has_leader:
            continue  # the leader column always comes first after the content
        if previous.endswith(_OPEN_ENDINGS) or text[:1].islower():
            continue
        if _starts_agency_cell(texts, i):
            boundary = i
            break
    content, rest = texts[:boundary], texts[boundary:]
    leader_lines: list[str] = []
    if rest and _LEADER.match(fold(rest[0])):
        leader_lines.append(rest.pop(0))
        while rest and set(re.findall(r"[a-z]+", fold(rest[0]))) <= _LEADER_WORDS and len(rest[0]) < 30:
            leader_lines.append(rest.pop(0))
    flat = " ".join(rest)
    match = _DEADLINE.search(fold(flat))
    agency_text, deadline_text, note = flat, "", ""
    if match:
        agency_text = flat[: match.start()].strip()
        words = flat[match.start() :].split()
        # The deadline cell ends where the words stop being part of the date expression.
        cut = 1
        while cut < len(words) and cut < 8:
            nxt = fold(words[cut]).strip(".,;:()")
            if re.fullmatch(
                r"(va|cac|nam|tiep|theo|\d{4}|quy|thang|xuyen|hang|[ivx]+/\d{4}|\d{1,2}/\d{4}|-|–|den|tu|truoc|trong|ngay|\d{4}-\d{4})",
                nxt,
            ):
                cut += 1
            else:
                break
        deadline_text, note = " ".join(words[:cut]), " ".join(words[cut:])
    return " ".join(content).strip(), " ".join(leader_lines), agency_text, deadline_text, note


def _split_agencies(text: str) -> tuple[list[str], list[str], float]:
    """Lead and coordinating agencies of the flattened agency columns, and a confidence.

    Agencies of one cell are joined by "," ";" or "và"; two agencies with nothing but a
    bullet between them belong to different cells (lead, then coordinating).
    """
    mentions = [m for m in find_agencies(text) if m.canonical]
    if not mentions:
        return [], [], 0.4
    cells: list[list[str]] = [[mentions[0].name]]
    position = text.find(mentions[0].source) + len(mentions[0].source)
    for mention in mentions[1:]:
        at = text.find(mention.source, position)
        between = text[position:at] if at >= 0 else ","
        if re.search(r"[,;]|\bvà\b", between):
            cells[-1].append(mention.name)
        else:
            cells.append([mention.name])
        if at >= 0:
            position = at + len(mention.source)
    lead = cells[0]
    coordinating = [name for cell in cells[1:] for name in cell]
    confidence = 0.9 if len(cells) <= 2 else 0.6
    return lead, coordinating, confidence


def extract_table_tasks(doc_id: str, lines: list[SourceLine]) -> list[TaskRecord]:
    """Task records of every appendix task table in the document."""
    tasks: list[TaskRecord] = []
    i = 0
    while i < len(lines):
        appendix = _APPENDIX.match(fold(lines[i].text))
        title_near = appendix and any(_TASK_TABLE_TITLE.search(fold(x.text)) for x in lines[i + 1 : i + 5])
        if not title_near:
            i += 1
            continue
        label = (appendix.group(1) or "").upper()  # type: ignore[union-attr]
        number = str(roman_to_int(label)) if label and not label.isdigit() and roman_to_int(label) else label
        prefix = f"PL{number}"
        end = next(
            (j for j in range(i + 1, len(lines)) if _APPENDIX.match(fold(lines[j].text)) and j > i + 5), len(lines)
        )
        header = " ".join(fold(x.text) for x in lines[i : i + 25])
        has_leader = "lanh dao" in header
        for row in _rows(lines[i + 1 : end]):
            content, leader, agency_text, deadline_text, note = _cells(row, has_leader)
            lead, coordinating, confidence = _split_agencies(agency_text)
            if not lead and not deadline_text:
                continue  # a heading row of the table
            if not deadline_text:
                confidence = min(confidence, 0.6)
            deadline = parse_deadline(deadline_text)
            section = ".".join([prefix, *([row.group] if row.group else []), *map(str, row.number)])
            tasks.append(
                TaskRecord(
                    doc_id=doc_id,
                    section=section,
                    text=content,
                    lead=lead,
                    coordinating=coordinating,
                    deadline_text=deadline.text,
                    deadline_display=deadline.display,
                    deadline_start=deadline.start.isoformat() if deadline.start else None,
                    deadline_end=deadline.end.isoformat() if deadline.end else None,
                    lines=(row.lines[0].no, row.lines[-1].no),
                    page=row.lines[0].page,
                    lead_source=agency_text,
                    coordinating_source="",
                    leader=leader,
                    note=note,
                    confidence=confidence,
                    source="table",
                )
            )
        i = end
    return tasks
