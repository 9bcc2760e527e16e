"""Suggested first questions for the widget and the console, drawn from the indexed plans
(so they fit whatever corpus is served): a task's lead and deadline, the tasks an agency
leads, what falls due in a quarter, a target."""

from __future__ import annotations

from collections import Counter
from datetime import date

from assistant.documents import recency_key
from index.store import IndexData
from ingest.records import DocumentMeta, TaskRecord

_QUESTIONS = {
    "vi": {
        "task": "Ai chủ trì nhiệm vụ {ref} của {doc} và hạn khi nào?",
        "agency": "{agency} chủ trì những nhiệm vụ nào trong {doc}?",
        "quarter": "Nhiệm vụ nào của {doc} đến hạn trong quý {quarter}/{year}?",
        "targets": "Các chỉ tiêu do {agency} chủ trì trong {doc}?",
    },
    "en": {
        "task": "Who leads task {ref} of the {doc} and when is it due?",
        "agency": "Which tasks does {agency} lead in the {doc}?",
        "quarter": "Which tasks of the {doc} are due in Q{quarter_n} {year}?",
        "targets": "Which targets does {agency} lead in the {doc}?",
    },
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _doc_name(meta: DocumentMeta, language: str) -> str:
    """How people name a plan in a question: "kế hoạch chuyển đổi số năm 2026"."""
    year = str(meta.years[0]) if len(meta.years) == 1 else ""
    if language == "en":
        kind = {"kế hoạch": "plan", "đề án": "project"}.get(meta.kind, "programme")
        return f"{year} {kind}".strip() if year else f"{kind} {meta.number}".strip()
    if year:
        return f"{meta.kind or 'kế hoạch'} năm {year}"
    return f"{meta.kind} {meta.number}".strip()


def _short_ref(task: TaskRecord) -> str | None:
    """ "5b" for section "III.5.b"; None for deeper or appendix numbering."""
    parts = task.section.split(".")
    if len(parts) < 2 or not parts[-2].isdigit() or not parts[-1].isalpha() or len(parts[-1]) > 2:
        return None
    return parts[-2] + parts[-1]


def _single(agencies: list[str]) -> list[str]:
    """Agencies that name one body ("Sở Y tế"), not a group ("Các sở, ban, ngành")."""
    return [a for a in agencies if not a.lower().startswith(("các ", "ubnd phường"))]


def _quarter(task: TaskRecord) -> tuple[int, int] | None:
    """(year, quarter) of a deadline that falls inside one quarter ("Tháng 6/2026", "Quý
    II/2026"); None for whole-year, ongoing or missing deadlines."""
    if not task.deadline_start or not task.deadline_end:
        return None
    start, end = date.fromisoformat(task.deadline_start), date.fromisoformat(task.deadline_end)
    quarter = (end.month - 1) // 3 + 1
    if start.year != end.year or (start.month - 1) // 3 + 1 != quarter:
        return None
    return end.year, quarter


def suggested_questions(data: IndexData, language: str = "vi", limit: int = 4) -> list[str]:
    """Up to ``limit`` questions the most recent plan with tasks can answer."""
    pool = [m for m in data.documents.values() if m.tasks]
    if not pool:
        return []
    meta = max(pool, key=recency_key)
    words = _QUESTIONS["en" if language == "en" else "vi"]
    doc = _doc_name(meta, language)
    tasks = [t for t in data.tasks if t.doc_id == meta.doc_id]
    out: list[str] = []
    task = next((t for t in tasks if _short_ref(t) and _single(t.lead) and t.deadline_end), None)
    if task is not None:
        out.append(words["task"].format(ref=_short_ref(task), doc=doc))
    leads = Counter(a for t in tasks for a in _single(t.lead))
    if leads:
        out.append(words["agency"].format(agency=leads.most_common(1)[0][0], doc=doc))
    due = Counter(q for t in tasks if (q := _quarter(t)) is not None)
    if due:
        (year, quarter), _ = due.most_common(1)[0]
        out.append(words["quarter"].format(doc=doc, quarter=_ROMAN[quarter], quarter_n=quarter, year=year))
    target_leads = Counter(a for t in data.targets if t.doc_id == meta.doc_id for a in _single(t.lead))
    if target_leads:
        out.append(words["targets"].format(agency=target_leads.most_common(1)[0][0], doc=doc))
    return out[:limit]
