"""Exact answers from task records: look a task up by reference, list tasks, filter them."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from datetime import date

from rapidfuzz import fuzz

from ingest.agencies import find_agencies
from ingest.records import Chunk, TargetRecord, TaskRecord
from ingest.text import fold


def section_matches(section: str, ref: tuple[str, ...]) -> bool:
    """``III.5.b`` matches the references ("III","5","b") and ("5","b")."""
    parts = section.split(".")
    if len(parts) < len(ref):
        return False
    tail = parts[-len(ref) :]
    return [p.lower() for p in tail] == [r.lower() for r in ref]


def tasks_by_ref(tasks: Iterable[TaskRecord], ref: tuple[str, ...]) -> list[TaskRecord]:
    """Tasks whose section path ends with ``ref``, in document order."""
    return [t for t in tasks if section_matches(t.section, ref)]


def agencies_named(text: str) -> list[str]:
    """Canonical agencies a question or filter names ("Sở KH&CN" → "Sở Khoa học và Công nghệ")."""
    return [m.canonical for m in find_agencies(text, typed=True) if m.canonical]


def month_end(value: str) -> date:
    """Last day of a ``YYYY-MM`` month (``ValueError`` if malformed)."""
    year_text, _, month_text = value.partition("-")
    year, month = int(year_text), int(month_text)
    if not (1 <= month <= 12 and 1900 < year < 2200) or len(year_text) != 4:
        raise ValueError(value)
    return date(year, month, calendar.monthrange(year, month)[1])


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def agency_matcher(agency: str) -> Callable[[list[str]], bool]:
    """Whether a record's agencies include ``agency``: any spelling the gazetteer knows, else
    a diacritic-insensitive part of one of the names."""
    wanted = set(agencies_named(agency))
    if wanted:
        return lambda names: bool(wanted & set(names))
    needle = fold(agency)
    return lambda names: any(needle in fold(n) for n in names)


def filter_tasks(
    tasks: Iterable[TaskRecord],
    *,
    doc: str | None = None,
    agency: str | None = None,
    role: str = "any",
    due_before: date | None = None,
    due_after: date | None = None,
    text: str | None = None,
    section: str | None = None,
) -> list[TaskRecord]:
    """Tasks matching every given filter. ``agency`` may be any spelling of a known agency."""
    matches_agency = agency_matcher(agency) if agency else None
    query = _folded(text) if text else None
    out = []
    for task in tasks:
        if doc and task.doc_id != doc:
            continue
        if section and not (task.section == section or task.section.startswith(section + ".")):
            continue
        if matches_agency:
            names = {"lead": task.lead, "coordinating": task.coordinating}.get(role, task.lead + task.coordinating)
            if not matches_agency(names):
                continue
        if (due_before or due_after) and task.deadline_end is None:
            continue
        if due_before and date.fromisoformat(task.deadline_end) > due_before:
            continue
        if due_after and date.fromisoformat(task.deadline_end) < due_after:
            continue
        if query and query not in _folded(task.text) and query not in fold(task.section):
            continue
        out.append(task)
    return out


def filter_targets(
    targets: Iterable[TargetRecord], *, doc: str | None = None, agency: str | None = None, text: str | None = None
) -> list[TargetRecord]:
    """Target rows matching every given filter (lead agency in any spelling, indicator text)."""
    matches_agency = agency_matcher(agency) if agency else None
    query = _folded(text) if text else None
    return [
        t
        for t in targets
        if (not doc or t.doc_id == doc)
        and (matches_agency is None or matches_agency(t.lead))
        and (query is None or query in _folded(t.indicator))
    ]


def _consonants(text: str) -> str:
    return "".join(c for c in text if c.isalpha() and c not in "aeiouy")


def section_titles_named(question_folded: str, chunks: Iterable[Chunk]) -> set[str]:
    """Task sections whose heading trail the question names ("mục Hạ tầng số").

    OCR may have dropped the title's vowels and spaces ("3.Htngs"): its consonants are
    compared with the consonants of the question's word windows too.
    """
    words = question_folded.split()
    windows = {_consonants("".join(words[i : i + n])) for n in range(2, 6) for i in range(len(words) - n + 1)}
    named: set[str] = set()
    for chunk in chunks:
        if chunk.kind != "task" or not chunk.task_section:
            continue
        for title in chunk.heading.split(" › "):
            folded = " ".join(fold(title).split())
            folded = folded.lstrip("0123456789ivxlcdm.) ").strip()
            if len(folded) >= 6 and len(folded.split()) <= 8 and fuzz.partial_ratio(folded, question_folded) >= 92:
                named.add(chunk.task_section)
            elif len(_consonants(folded)) >= 4 and len(folded.split()) <= 3 and _consonants(folded) in windows:
                named.add(chunk.task_section)
    return named
