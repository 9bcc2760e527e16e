"""Extract task records (item + lead + coordinating + deadline) from outline blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.agencies import find_agencies
from ingest.deadline import parse_deadline
from ingest.records import TaskRecord
from ingest.structure import Block, BlockKind, FieldKind, format_path
from ingest.text import fold

_HEADINGS = {BlockKind.PART, BlockKind.APPENDIX, BlockKind.ROMAN, BlockKind.NUMBER, BlockKind.LETTER}


@dataclass
class _OpenItem:
    head: Block
    description: list[Block] = field(default_factory=list)
    fields: dict[FieldKind, Block] = field(default_factory=dict)
    last: Block | None = None


def _names(value: str) -> list[str]:
    """Agencies of a field: canonical names, and unknown ones kept as printed — but not the
    lower-case qualifiers that trail a name ("… ngành có liên quan")."""
    return [m.name for m in find_agencies(value) if m.canonical or not m.source[:1].islower()]


def _record(doc_id: str, item: _OpenItem) -> TaskRecord | None:
    if FieldKind.LEAD not in item.fields and FieldKind.DEADLINE not in item.fields:
        return None
    lead = item.fields.get(FieldKind.LEAD)
    coordinating = item.fields.get(FieldKind.COORDINATING)
    deadline_block = item.fields.get(FieldKind.DEADLINE)
    deadline = parse_deadline(deadline_block.value if deadline_block else "")
    text = " ".join([item.head.title or item.head.text] + [b.text for b in item.description]).strip()
    end = (item.last or item.head).end
    return TaskRecord(
        doc_id=doc_id,
        section=format_path(item.head.path),
        text=text,
        lead=_names(lead.value) if lead else [],
        coordinating=_names(coordinating.value) if coordinating else [],
        deadline_text=deadline.text,
        deadline_display=deadline.display,
        deadline_start=deadline.start.isoformat() if deadline.start else None,
        deadline_end=deadline.end.isoformat() if deadline.end else None,
        lines=(item.head.start, end),
        page=item.head.page,
        lead_source=lead.value if lead else "",
        coordinating_source=coordinating.value if coordinating else "",
    )


def extract_tasks(doc_id: str, blocks: list[Block]) -> list[TaskRecord]:
    """Task records for every item that carries a lead or deadline field."""
    tasks: list[TaskRecord] = []
    item: _OpenItem | None = None

    def close() -> None:
        if item is not None and (record := _record(doc_id, item)) is not None:
            tasks.append(record)

    for block in blocks:
        if block.kind in _HEADINGS:
            close()
            item = _OpenItem(block) if block.kind in (BlockKind.LETTER, BlockKind.NUMBER) else None
        elif item is None:
            continue
        elif block.kind is BlockKind.FIELD and block.field is not None:
            item.fields.setdefault(block.field, block)
            item.last = block
        elif not item.fields:
            item.description.append(block)
            item.last = block
    close()
    return tasks


# "5. Ban Tuyên giáo và Dân vận Thành ủy chủ trì, phối hợp với … hướng dẫn …": the task
# is written as a sentence; OCR may print "chủ trì" as "cha tri".
_PROSE_LEAD = re.compile(r"^(?:giao\s+)?(.{4,90}?)\s+ch[a-z]{0,2}\s+tr[a-z]{0,2}\b[,;]?\s*")
_PROSE_COORDINATING = re.compile(r"^ph[a-z]{0,2}\s+h[a-z]{0,2}p\s+(?:v[a-z]{0,2}i\s+)?(.{3,160}?)(?=\s+(?:t[oô]|th|h|x|ng|tr|đ|d|ki|ban|ph|b)\w*\s)")


def extract_prose_tasks(doc_id: str, blocks: list[Block], known: set[str]) -> list[TaskRecord]:
    """Numbered items that assign a task in a sentence ("X chủ trì, phối hợp với Y …")."""
    tasks: list[TaskRecord] = []
    for block in blocks:
        if block.kind not in (BlockKind.NUMBER, BlockKind.LETTER) or not block.path:
            continue
        section = format_path(block.path)
        if section in known:
            continue
        body = block.title or block.text
        folded = fold(body)
        if len(folded) != len(body):
            continue
        match = _PROSE_LEAD.match(folded)
        if not match:
            continue
        lead_mentions = [m for m in find_agencies(body[match.start(1) : match.end(1)]) if m.canonical]
        if not lead_mentions:
            continue
        rest = body[match.end() :]
        coordinating: list[str] = []
        coord = _PROSE_COORDINATING.match(fold(rest))
        if coord:
            coordinating = [m.name for m in find_agencies(rest[coord.start(1) : coord.end(1)]) if m.canonical]
        deadline = parse_deadline(rest) if re.search(r"\b20\d\d\b", rest) else parse_deadline("")
        tasks.append(
            TaskRecord(
                doc_id=doc_id,
                section=section,
                text=body.strip(),
                lead=[m.name for m in lead_mentions],
                coordinating=coordinating,
                deadline_text=deadline.text if deadline.start else "",
                deadline_display=deadline.display if deadline.start else "",
                deadline_start=deadline.start.isoformat() if deadline.start else None,
                deadline_end=deadline.end.isoformat() if deadline.end else None,
                lines=(block.start, block.end),
                page=block.page,
                lead_source=body[match.start(1) : match.end(1)],
                confidence=0.7,
                source="prose",
            )
        )
    return tasks
