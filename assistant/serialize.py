"""The JSON shapes of DESIGN.md, shared by the HTTP API and ``--json`` in the CLI."""

from __future__ import annotations

import csv
import io
from typing import Any

from index.search import SearchHit
from index.store import IndexData
from ingest.records import DocumentMeta, TargetRecord, TaskRecord


def document_title(data: IndexData, doc_id: str) -> str:
    """A document's title, or its id when its metadata is missing."""
    meta = data.documents.get(doc_id)
    return meta.title if meta else doc_id


def hit_to_dict(hit: SearchHit, data: IndexData) -> dict[str, Any]:
    """One ``/api/search`` hit."""
    return {
        "doc": hit.chunk.doc_id,
        "title": document_title(data, hit.chunk.doc_id),
        "section": hit.chunk.section,
        "lines": list(hit.chunk.lines),
        "page": hit.chunk.page,
        "score": round(hit.score, 6),
        "text": hit.chunk.text,
    }


def task_to_dict(task: TaskRecord, data: IndexData) -> dict[str, Any]:
    """One ``/api/tasks`` item."""
    return {
        "doc": task.doc_id,
        "title": document_title(data, task.doc_id),
        "section": task.section,
        "text": task.text,
        "lead": task.lead,
        "coordinating": task.coordinating,
        "deadline": {
            "text": task.deadline_display or task.deadline_text,
            "start": task.deadline_start,
            "end": task.deadline_end,
        },
        "lines": list(task.lines),
        "page": task.page,
        "source": {"lead": task.lead_source, "coordinating": task.coordinating_source, "deadline": task.deadline_text},
    }


def target_to_dict(target: TargetRecord, data: IndexData) -> dict[str, Any]:
    """One ``/api/targets`` item."""
    return {
        "doc": target.doc_id,
        "title": document_title(data, target.doc_id),
        "section": target.section,
        "indicator": target.indicator,
        "values": target.values,
        "lead": target.lead,
        "lines": list(target.lines),
        "page": target.page,
        "confidence": target.confidence,
    }


def document_to_dict(meta: DocumentMeta) -> dict[str, Any]:
    """One ``/api/documents`` item."""
    return {
        "id": meta.doc_id,
        "title": meta.title,
        "kind": meta.kind,
        "number": meta.number or None,
        "date": meta.date,
        "issuer": meta.issuer,
        "years": meta.years,
        "signer": meta.signer or None,
        "tasks": meta.tasks,
        "targets": meta.targets,
        "chunks": meta.chunks,
    }


TASK_CSV_COLUMNS = ("Văn bản", "Mục", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Hạn cuối", "Dòng")


def tasks_csv(items: list[dict[str, Any]]) -> str:
    """``/api/tasks`` items as CSV for a spreadsheet: Vietnamese headers, UTF-8 with a BOM
    so that Excel reads the diacritics."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TASK_CSV_COLUMNS)
    for t in items:
        writer.writerow(
            (
                t["title"],
                t["section"],
                " ".join(t["text"].split()),
                "; ".join(t["lead"]),
                "; ".join(t["coordinating"]),
                t["deadline"]["text"] or "",
                t["deadline"]["end"] or "",
                f"{t['lines'][0]}–{t['lines'][1]}",
            )
        )
    return "\ufeff" + out.getvalue()
