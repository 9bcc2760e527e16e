"""Recover a plan's own description of itself: kind, number, date, issuer, title, years."""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from ingest.clean import Paragraph
from ingest.records import DocumentMeta
from ingest.text import fold

_KINDS = (
    ("chuong trinh hanh dong", "chương trình hành động"),
    ("ke hoach", "kế hoạch"),
    ("de an", "đề án"),
    ("nghi quyet", "nghị quyết"),
    ("quyet dinh", "quyết định"),
)
_HEAD_PARAGRAPHS = 25


def _kind(head: str, body: str) -> str:
    # A title line in capitals near the top names the kind ("KẾ HOẠCH", "CHƯƠNG TRÌNH …");
    # otherwise the document refers to itself ("Kế hoạch này", "Đề án này").
    for folded, display in _KINDS:
        if re.search(rf"(^|\n)\s*{folded}\b", head):
            return display
    counts = Counter({display: len(re.findall(rf"{folded} nay\b", body)) for folded, display in _KINDS})
    kind, hits = counts.most_common(1)[0]
    if hits:
        return kind
    match = re.search(r"ban hanh (ke hoach|de an|chuong trinh hanh dong)", body)
    return dict(_KINDS).get(match.group(1), "") if match else ""


def _number(head: str) -> str:
    # The document's own number sits in the header: "Số: 93 /KH-UBND". OCR reads the
    # slash as "7" when it touches the letters ("S: 23 7KH-UBND").
    match = re.search(
        r"(?:^|\s)s\w?\s*:\s*(\d{1,4})\s*(?:/|7(?=kh|qd|ctr))\s*(kh|qd|ctr|nq|ct|da)\s*-\s*([a-z]+)", head
    )
    if not match:
        return ""
    number, kind, issuer = match.groups()
    kind = {"qd": "QĐ", "ctr": "CTr"}.get(kind, kind.upper())
    return f"{number}/{kind}-{issuer.upper()}"


def _date(head: str) -> str | None:
    match = re.search(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(20\d\d)", head)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _issuer(head: str, body: str) -> str:
    # Only the opening counts: the body cites other bodies' documents ("Ban Thường vụ
    # Thành ủy ban hành Nghị quyết số 07-NQ/TU …").
    if re.search(r"ban thuong vu thanh \w{1,3} ban hanh\s+(chuong trinh|ke hoach|de an)", head):
        return "Ban Thường vụ Thành ủy Đà Nẵng"
    if re.search(r"thanh uy ban hanh\s+(chuong trinh|ke hoach|de an)", head):
        return "Thành ủy Đà Nẵng"
    return "UBND thành phố Đà Nẵng"


def _years(title: str, body: str) -> list[int]:
    match = re.search(r"nam (20\d\d)\b", title)
    if match:
        return [int(match.group(1))]
    span = re.search(r"giai doan (20\d\d)\s*[-–]\s*(20\d\d)", title) or re.search(
        r"den nam (20\d\d)", title
    )
    if span and span.lastindex == 2:
        return list(range(int(span.group(1)), int(span.group(2)) + 1))
    counts = Counter(int(y) for y in re.findall(r"\b(202\d|203\d)\b", body))
    return sorted(y for y, _ in counts.most_common(2))


def _subjects(title: str, body: str) -> list[str]:
    # A plan is "about" Resolution 57 when its title says so or it keeps returning to it;
    # a passing reference (the 2026 plan cites it four times) does not make it one.
    subjects = []
    nq57 = r"(57|st)\s*-?\s*nq\s*/\s*tw|nghi quyet (so )?57"
    if re.search(nq57, title) or len(re.findall(nq57, body)) >= 8:
        subjects.append("Nghị quyết 57-NQ/TW")
    if "chuyen doi so" in body or "chuyen doi s" in body:
        subjects.append("chuyển đổi số")
    return subjects


def _title_line(paragraphs: list[Paragraph], kind: str) -> str:
    """The printed subject near the top; else the first paragraph; else anywhere."""
    subject = _subject_after_kind(paragraphs[:_HEAD_PARAGRAPHS], kind)
    if subject:
        return subject
    first = paragraphs[0].text if paragraphs else ""
    if len(first) >= 40:
        return first if len(first) < 200 else first[: first.rfind(" ", 0, 160)] + " …"
    return _subject_after_kind(paragraphs, kind)


def _subject_after_kind(paragraphs: list[Paragraph], kind: str) -> str:
    """The subject printed after the capitalised kind word ("KẾ HOẠCH Triển khai … năm 2026")."""
    if not kind:
        return ""
    kind_upper = " ".join(fold(kind).upper().split()[:2])
    for para in paragraphs:
        # Fold character by character so positions in the folded text match the original.
        folded = "".join(fold(c).upper() if c.isupper() else fold(c) for c in para.text)
        at = folded.find(kind_upper)
        if at < 0:
            continue
        rest_start = folded.find(" ", at + len(kind_upper))
        # Skip the rest of a long kind name, even OCR-damaged ("HANH DPQONG").
        for word in fold(kind).upper().split()[2:]:
            nxt = folded[rest_start:].split(maxsplit=1)
            if nxt and fuzz.ratio(nxt[0], word) >= 60:
                rest_start = folded.find(nxt[0], rest_start) + len(nxt[0])
        year = re.search(r"(nam|giai doan) 20\d\d(\s*[-–]\s*20\d\d)?", folded[rest_start:].lower())
        stop = rest_start + year.end() if year and year.end() < 220 else rest_start + 160
        subject = para.text[rest_start:stop].strip(" .:")
        if len(subject) < 12:
            continue
        return subject.capitalize() if subject.isupper() else subject
    return ""


def extract_metadata(doc_id: str, sha256: str, paragraphs: list[Paragraph], line_count: int) -> DocumentMeta:
    """Metadata of a document from its first paragraphs and its body."""
    head = "\n".join(fold(p.text) for p in paragraphs[:_HEAD_PARAGRAPHS])
    body = "\n".join(fold(p.text) for p in paragraphs)
    kind = _kind(head, body)
    number = _number(head)
    subject_line = _title_line(paragraphs, kind)
    subject_line = subject_line or doc_id
    display_kind = kind[:1].upper() + kind[1:] if kind else "Văn bản"
    title = f"{display_kind} {number}".strip() + f" — {subject_line}"
    return DocumentMeta(
        doc_id=doc_id,
        sha256=sha256,
        title=title,
        kind=kind,
        number=number,
        date=_date(head),
        issuer=_issuer(head, body),
        years=_years(fold(subject_line), body),
        subjects=_subjects(fold(subject_line), body),
        line_count=line_count,
    )
