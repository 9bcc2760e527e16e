"""Structure-aware chunking: a task with its fields is one chunk, sections split by size.

Every chunk keeps its document, section path and source line span. The ancestors'
titles ride along as ``heading`` so that a passage from "3. Hạ tầng số" can be found by
a question that names the section but not the passage's own words.
"""

from __future__ import annotations

from ingest.loaders import SourceLine
from ingest.records import Chunk, TargetRecord, TaskRecord
from ingest.signature import Signature
from ingest.structure import Block, BlockKind, format_path

MAX_CHUNK_CHARS = 1100
_HEADINGS = {BlockKind.PART, BlockKind.APPENDIX, BlockKind.ROMAN, BlockKind.NUMBER, BlockKind.LETTER}


def _heading_trail(titles: dict[tuple[str, ...], str], path: tuple[str, ...]) -> str:
    trail = [titles[path[:i]] for i in range(1, len(path)) if path[:i] in titles]
    return " › ".join(t[:90] for t in trail)


def chunk_blocks(doc_id: str, blocks: list[Block], tasks: list[TaskRecord]) -> list[Chunk]:
    """Chunks for one document's outline blocks."""
    task_by_start = {t.lines[0]: t for t in tasks}
    titles: dict[tuple[str, ...], str] = {}
    chunks: list[Chunk] = []
    group: list[Block] = []
    group_task: TaskRecord | None = None

    def flush() -> None:
        nonlocal group_task
        if not group:
            return
        path = group[0].path
        text = "\n".join(b.text for b in group)
        chunks.append(
            Chunk(
                chunk_id=f"{doc_id}#{len(chunks)}",
                doc_id=doc_id,
                section=format_path(path),
                heading=_heading_trail(titles, path),
                text=text,
                lines=(group[0].start, group[-1].end),
                page=group[0].page,
                kind="task" if group_task else "text",
                task_section=group_task.section if group_task else None,
            )
        )
        group.clear()
        group_task = None

    for block in blocks:
        if block.kind in _HEADINGS:
            titles[block.path] = (block.title or block.text).strip()
            flush()
            group_task = task_by_start.get(block.start)
        elif group_task is not None and block.end > group_task.lines[1]:
            flush()  # text after a task's fields is not part of the task
        size = sum(len(b.text) for b in group)
        if group and group_task is None and size + len(block.text) > MAX_CHUNK_CHARS:
            flush()
        group.append(block)
    flush()
    return chunks


def target_text(target: TargetRecord) -> str:
    """A target row as one readable line (what is indexed and embedded)."""
    values = "; ".join(
        f"mục tiêu năm {year}: {value}" if value != target.indicator[: len(value)] else f"mục tiêu đến năm {year}"
        for year, value in target.values.items()
    )
    lead = f". Cơ quan chủ trì: {'; '.join(target.lead)}" if target.lead else ""
    return f"Chỉ tiêu {target.section}: {target.indicator}. {values}{lead}".strip()


def target_chunks(doc_id: str, targets: list[TargetRecord]) -> list[Chunk]:
    """One chunk per target row, besides the table's text chunks: a row is one answer."""
    return [
        Chunk(
            chunk_id=f"{doc_id}#t{i}",
            doc_id=doc_id,
            section=t.section,
            heading="Chỉ tiêu",
            text=target_text(t),
            lines=t.lines,
            page=t.page,
            kind="target",
        )
        for i, t in enumerate(targets)
    ]


def table_task_chunks(doc_id: str, tasks: list[TaskRecord]) -> list[Chunk]:
    """One chunk per appendix-table task row, written out with its column names."""
    chunks = []
    for i, task in enumerate(tasks):
        parts = [f"Nhiệm vụ {task.section}: {task.text}"]
        if task.lead:
            parts.append(f"Cơ quan chủ trì: {'; '.join(task.lead)}")
        if task.coordinating:
            parts.append(f"Cơ quan phối hợp: {'; '.join(task.coordinating)}")
        if task.deadline_display:
            parts.append(f"Thời gian thực hiện: {task.deadline_display}")
        if task.note:
            parts.append(task.note)
        chunks.append(
            Chunk(
                chunk_id=f"{doc_id}#r{i}",
                doc_id=doc_id,
                section=task.section,
                heading="Danh mục nhiệm vụ",
                text=". ".join(parts),
                lines=task.lines,
                page=task.page,
                kind="task",
                task_section=task.section,
            )
        )
    return chunks


def signature_chunk(doc_id: str, signature: Signature, lines: list[SourceLine]) -> Chunk:
    """The signature block as its own passage ("Người ký: …"), for "ai ký …" searches."""
    role = f" ({signature.role})" if signature.role else ""
    printed = f" — in trong văn bản: {signature.source}" if signature.source != signature.name else ""
    return Chunk(
        chunk_id=f"{doc_id}#signature",
        doc_id=doc_id,
        section="",
        heading="Chữ ký",
        text=f"Người ký văn bản: {signature.name}{role}{printed}. {lines[signature.line - 1].text.strip()}",
        lines=(signature.line, signature.line),
        page=lines[signature.line - 1].page,
        kind="signature",
    )
