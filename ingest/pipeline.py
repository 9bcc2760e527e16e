"""File → clean paragraphs → outline → task records, chunks and metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.chunk import chunk_blocks, signature_chunk, table_task_chunks, target_chunks
from ingest.clean import clean_lines, join_paragraphs
from ingest.headings import repair_heading
from ingest.loaders import load_document
from ingest.metadata import extract_metadata
from ingest.ocr_repair import DAMAGED_SHARE, damaged_share, repair_text
from ingest.records import Chunk, DocumentMeta, TargetRecord, TaskRecord
from ingest.signature import find_signature
from ingest.structure import Block, BlockKind, parse_outline
from ingest.targets import extract_period_targets, extract_targets
from ingest.tsv_targets import extract_tsv_targets
from ingest.table_tasks import extract_table_tasks
from ingest.tasks import extract_prose_tasks, extract_tasks

# Bump when parsing or chunking changes, so persisted indexes know to re-ingest.
PARSER_VERSION = "26"


@dataclass
class ParsedDocument:
    """Everything ingest knows about one document."""

    meta: DocumentMeta
    chunks: list[Chunk]
    tasks: list[TaskRecord]
    source_lines: list[str]
    targets: list[TargetRecord]


def _repair_heading(block: Block) -> Block:
    """A numbered heading whose section name OCR stripped ("3.Htngs") gets the name back."""
    if block.kind not in (BlockKind.NUMBER, BlockKind.ROMAN) or not block.title:
        return block
    title = repair_heading(block.title)
    if title == block.title:
        return block
    number = re.match(r"\s*[\dIVXLC]+\s*[.)]\s*", block.text)
    rest = block.text[number.end() :] if number else block.text
    text = (number.group(0).strip() + " " if number else "") + repair_heading(rest)
    return replace(block, title=title, text=text)


def _repaired_task(task: TaskRecord) -> TaskRecord:
    """A task of an OCR-damaged plan as shown: its text, and a deadline the parser could not
    date ("Thu&ng xuyên và theo chi do cña Bô Cong an"), repaired."""
    display = task.deadline_display
    if display and task.deadline_start is None:
        display = repair_text(display)
    return replace(task, text=repair_text(task.text), deadline_display=display)


def parse_document(path: Path) -> ParsedDocument:
    """Parse one file; raises ``DocumentLoadError`` for unusable files."""
    raw = load_document(path)
    paragraphs = join_paragraphs(clean_lines(raw.lines))
    blocks = parse_outline(paragraphs)
    # Structure, fields and agencies are read from the text as printed (the parser and
    # the gazetteer are built for OCR damage).
    tasks = extract_tasks(raw.doc_id, blocks)
    tasks += extract_prose_tasks(raw.doc_id, blocks, {t.section for t in tasks})
    table_tasks = extract_table_tasks(raw.doc_id, raw.lines)
    targets = extract_targets(raw.doc_id, blocks) + extract_period_targets(raw.doc_id, raw.lines)
    targets += extract_tsv_targets(raw.doc_id, raw.lines, blocks)
    meta = extract_metadata(raw.doc_id, raw.sha256, paragraphs, len(raw.lines))
    if damaged_share(" ".join(p.text for p in paragraphs)) > DAMAGED_SHARE:
        # OCR lost the diacritics: what is shown and searched is the repaired text;
        # citations still quote the source lines verbatim.
        blocks = [_repair_heading(b) for b in blocks]
        blocks = [replace(b, text=repair_text(b.text), title=repair_text(b.title)) for b in blocks]
        tasks = [_repaired_task(t) for t in tasks]
        table_tasks = [_repaired_task(t) for t in table_tasks]
        targets = [replace(t, indicator=repair_text(t.indicator)) for t in targets]
        meta.ocr_repaired = True
        head, sep, subject = meta.title.partition(" — ")
        meta.title = f"{head}{sep}{repair_text(subject)}" if sep else repair_text(meta.title)
    chunks = chunk_blocks(raw.doc_id, blocks, tasks) + table_task_chunks(raw.doc_id, table_tasks)
    chunks += target_chunks(raw.doc_id, targets)
    tasks = sorted(tasks + table_tasks, key=lambda t: t.lines[0])
    meta.tasks, meta.targets, meta.chunks = len(tasks), len(targets), len(chunks)
    signature = find_signature(raw.lines)
    if signature:
        meta.signer, meta.signer_role, meta.signer_lines = signature.name, signature.role, [signature.line]
        chunks.append(signature_chunk(raw.doc_id, signature, raw.lines))
        meta.chunks = len(chunks)
    return ParsedDocument(meta, chunks, tasks, [line.text for line in raw.lines], targets)
