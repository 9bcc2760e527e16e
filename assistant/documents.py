"""Which plan a question means: by number, year, kind, subject and issuer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.records import DocumentMeta
from ingest.text import fold

_KIND_WORDS = {
    "kế hoạch": (r"\bke hoach\b", r"\bkh\b", r"\bplan\b"),
    "đề án": (r"\bde an\b", r"\bproject\b", r"\bscheme\b", r"\bproposal\b"),
    "chương trình hành động": (r"chuong trinh hanh dong", r"\bctr?hd\b", r"action (programme|program|plan)"),
}
_NQ57 = r"(nghi quyet|nq|resolution)\s*(so\s*)?57|57\s*-?\s*nq"
_PARTY = r"thanh uy|party committee|ban thuong vu|\bthanh uy\b"
_PEOPLES_COMMITTEE = r"\bubnd\b|uy ban nhan dan|people'?s committee"


# A number, the year of an annual plan, or kind and subject together name one plan; a kind
# alone ("đề án", "the plan") only suggests it.
STRONG_NAMING = 3.0


@dataclass(frozen=True)
class DocumentMatch:
    """A document and how strongly the question points at it."""

    doc_id: str
    score: float


def _mentions_57(meta: DocumentMeta) -> bool:
    return "Nghị quyết 57-NQ/TW" in meta.subjects


_KIND_AS_OBJECT = re.compile(
    r"\b(lap|xay dung|ban hanh|soan|soan thao|trinh|phe duyet|de xuat|nghien cuu|hoan thien|draft\w*|prepar\w*|build\w*|develop\w*)"
    r"\s+(cac |mot |an? |the )?(de an|ke hoach|chuong trinh|scheme|plan|project|programme|program)\b"
)
# A year inside a date ("tháng 3/2026", "quý I/2026", "March 2026", "15/4/2024") dates a
# deadline or an event; it does not name an annual plan.
_DATED_YEAR = re.compile(
    r"\b(thang|quy|month|quarter|q|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)"
    r"\s*[ivx\d]{0,4}\s*(/|-|nam|of)?\s*20\d\d\b|\b\d{1,2}\s*/\s*(\d{1,2}\s*/\s*)?20\d\d\b"
)


def resolve_documents(question_folded: str, documents: dict[str, DocumentMeta]) -> list[DocumentMatch]:
    """Documents the question names, best first; empty when it names none."""
    q = question_folded
    years = {int(y) for y in re.findall(r"\b(20\d\d)\b", _DATED_YEAR.sub(" ", q))}
    numbers = set(re.findall(r"\b(\d{1,4})\s*/\s*(?:kh|qd|ctr|nq)", q)) | set(
        re.findall(r"(?:ke hoach|so)\s+(?:so\s+)?(\d{1,4})\b(?!\s*/\s*20)", q)
    )
    wants_57 = bool(re.search(_NQ57, q))
    wants_party = bool(re.search(_PARTY, q))
    wants_ubnd = bool(re.search(_PEOPLES_COMMITTEE, q))
    # "lập đề án phòng lab BIM", "xây dựng kế hoạch …": the plan's kind as the object of a
    # task, not the document asked about.
    named_kinds = _KIND_AS_OBJECT.sub(" ", q)
    kinds = {kind for kind, pats in _KIND_WORDS.items() if any(re.search(p, named_kinds) for p in pats)}

    matches: list[DocumentMatch] = []
    for doc_id, meta in documents.items():
        score = 0.0
        if meta.number and meta.number.split("/")[0] in numbers:
            score += 4
        if years:
            if meta.years and len(meta.years) == 1 and meta.years[0] in years:
                score += 3  # an annual plan for exactly that year
            elif any(y in meta.years for y in years) or any(str(y) in fold(meta.title) for y in years):
                score += 0.5
        if meta.kind in kinds:
            score += 1.5
        if wants_57 and _mentions_57(meta):
            score += 2
        party = "thanh uy" in fold(meta.issuer)
        if wants_party and party:
            score += 2
        if wants_ubnd and not party and not wants_party:
            score += 0.5
        if score >= 1.5:
            matches.append(DocumentMatch(doc_id, score))
    matches.sort(key=lambda m: -m.score)
    if not matches:
        return []
    best = matches[0].score
    return [m for m in matches if m.score >= best - 0.5]


def recency_key(meta: DocumentMeta) -> tuple[int, str]:
    """Sort key for "most recent": plans are issued when their period starts, so the
    latest first year covered, then the latest issue date."""
    return (min(meta.years) if meta.years else 0, meta.date or "")
