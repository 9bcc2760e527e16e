"""What ingest recovered per document: tasks (with lead / deadline), targets, and how many
agency mentions the gazetteer mapped to a canonical name."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from index.store import IndexData
from ingest.agencies import find_agencies


@dataclass
class DocumentReport:
    """Ingest figures of one document."""

    doc_id: str
    tasks: int = 0
    with_lead: int = 0
    with_deadline: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    targets: int = 0
    targets_confident: int = 0
    mapped: int = 0
    unknown: int = 0


def ingest_report(data: IndexData) -> tuple[list[DocumentReport], Counter[str]]:
    """Per-document figures and the most frequent unmapped agency spellings."""
    reports = {doc_id: DocumentReport(doc_id) for doc_id in sorted(data.documents)}
    unknown_spellings: Counter[str] = Counter()
    for task in data.tasks:
        report = reports[task.doc_id]
        report.tasks += 1
        report.with_lead += bool(task.lead)
        report.with_deadline += bool(task.deadline_text)
        report.by_source[task.source] += 1
        for text in (task.lead_source, task.coordinating_source):
            for mention in find_agencies(text) if text else []:
                if mention.canonical:
                    report.mapped += 1
                else:
                    report.unknown += 1
                    unknown_spellings[mention.source] += 1
    for target in data.targets:
        report = reports[target.doc_id]
        report.targets += 1
        report.targets_confident += target.confidence >= 0.9
    return list(reports.values()), unknown_spellings


def format_ingest_report(data: IndexData) -> str:
    """The report as a table."""
    reports, unknown = ingest_report(data)
    lines = [
        "| document | tasks (outline/table/prose) | with lead | with deadline | target rows (all cells placed) | agency mentions mapped / unknown |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in reports:
        sources = "/".join(str(r.by_source.get(k, 0)) for k in ("outline", "table", "prose"))
        lead = f"{r.with_lead / r.tasks:.0%}" if r.tasks else "—"
        deadline = f"{r.with_deadline / r.tasks:.0%}" if r.tasks else "—"
        lines.append(
            f"| {r.doc_id} | {r.tasks} ({sources}) | {lead} | {deadline} | {r.targets} ({r.targets_confident}) | {r.mapped} / {r.unknown} |"
        )
    mapped = sum(r.mapped for r in reports)
    total = mapped + sum(r.unknown for r in reports)
    lines.append("")
    lines.append(f"Agency mentions mapped to a canonical name: {mapped} of {total} ({mapped / max(total, 1):.1%}).")
    if unknown:
        lines.append("Most frequent unmapped spellings: " + "; ".join(f"{s!r} ×{n}" for s, n in unknown.most_common(8)))
    return "\n".join(lines)
