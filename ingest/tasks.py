"""Extract task records (item + lead + coordinating + deadline) from outline blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.agencies import find_agencies
from ingest.deadline import parse_deadline
from ingest.records import TaskRecord
from ingest.structure import Block, BlockKind, FieldKind, format_path

_HEADINGS = {BlockKind.PART, BlockKind.APPENDIX, BlockKind.ROMAN, BlockKind.NUMBER, BlockKind.LETTER}


@dataclass
class _OpenItem:
    head: Block
    description: list[Block] = field(default_factory=list)
    fields: dict[FieldKind, Block] = field(default_factory=dict)
    last: Block | None = None


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
        lead=[m.name for m in find_agencies(lead.value)] if lead else [],
        coordinating=[m.name for m in find_agencies(coordinating.value)] if coordinating else [],
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
