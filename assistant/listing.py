"""List questions: "Sở Y tế chủ trì những nhiệm vụ nào?", "nhiệm vụ nào đến hạn trong quý
I/2026?", "các chỉ tiêu do Sở Công Thương chủ trì". Complete lists from the records, not
from retrieval, so nothing is missed and every item is cited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.deadline import parse_deadline

_TARGET_WORDS = re.compile(r"\bchi tieu\b|\btargets?\b|\bindicators?\b")
_LIST_WORDS = re.compile(
    r"\b(nhung|cac) (nhiem vu|chi tieu|viec)\b|\b(nhiem vu|chi tieu|viec) (gi|nao)\b|\bliet ke\b|\bbao nhieu (nhiem vu|chi tieu)\b"
    r"|\bwhich (tasks|targets|indicators)\b|\bwhat (tasks|targets|indicators)\b|\blist\b|\bhow many (tasks|targets)\b"
)
# A deadline window: quarters and months always; a bare year only after a deadline word
# (in "kế hoạch năm 2026" the year names the plan).
_WINDOW = re.compile(
    r"(qu\w{0,2}\s*([ivx]{1,4}|[1-4])\s*(/|nam)\s*20\d\d|thang\s*\d{1,2}\s*(/|nam)\s*20\d\d|6 thang (dau|cuoi) nam 20\d\d"
    r"|(?:han|den han|hoan thanh|xong|due|by|before|truoc|thoi gian(?: thuc hien| hoan thanh| trien khai)?|timeframe|period)"
    r"\s+(?:\w+\s+){0,2}(?:nam\s+)?20\d\d(?:\s*[-–]\s*20\d\d)?)"
)
# "mục III.6", "nhóm IV", "section III.3": list within that part of the plan.
_SECTION_NUMBER = re.compile(r"\b(?:muc|nhom|phan|section|group|part)\s+([ivx]{1,4}(?:\.\d{1,2})*)\b")
# Any question for several items ("những phần mềm nào", "các đơn vị nào", "liệt kê",
# "which systems"), not only tasks and targets.
_ENUMERATION = re.compile(r"\b(nhung|cac)\b(?: \w+){1,4} nao\b|\bliet ke\b|\blist\b|\bwhich \w+s\b|\bwhat are\b")
_BEFORE = re.compile(r"\btruoc\b|\bbefore\b|\bby\b|\bcham nhat\b")


@dataclass(frozen=True)
class DeadlineWindow:
    """Tasks due inside ``start``..``end`` (or by ``end`` when ``by`` is set)."""

    start: date
    end: date
    display: str
    by: bool = False

    def contains(self, task_end: str | None) -> bool:
        """True when a deadline ending on ``task_end`` falls in the window."""
        if task_end is None:
            return False
        end = date.fromisoformat(task_end)
        return end <= self.end if self.by else self.start <= end <= self.end


@dataclass(frozen=True)
class ListRequest:
    """What a list question asks for."""

    kind: str  # "task" or "target"
    window: DeadlineWindow | None
    section: tuple[str, ...] | None = None  # ("III", "6") for "mục III.6"

    def in_section(self, section: str) -> bool:
        """Whether a record's section path lies in the asked part ("PL2.III.6.2" in III.6)."""
        if self.section is None:
            return True
        parts = section.split(".")
        n = len(self.section)
        return any(tuple(parts[i : i + n]) == self.section for i in range(min(2, len(parts))))


_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1
)}


def deadline_window(folded: str) -> DeadlineWindow | None:
    """The deadline window a folded question names, if any."""
    # English months and quarters read as the Vietnamese forms the deadline parser knows.
    folded = re.sub(
        r"\b(" + "|".join(_MONTHS) + r")\s+(20\d\d)", lambda m: f"thang {_MONTHS[m.group(1)]}/{m.group(2)}", folded
    )
    folded = re.sub(r"\bq([1-4])\s*/?\s*(20\d\d)", r"quy \1/\2", folded)
    match = _WINDOW.search(folded)
    if not match:
        return None
    deadline = parse_deadline(match.group(0))
    if deadline.start is None or deadline.end is None:
        return None
    by = bool(_BEFORE.search(folded[max(0, match.start() - 12) : match.end()]))
    return DeadlineWindow(deadline.start, deadline.end, deadline.display, by)


def list_request(folded: str) -> ListRequest | None:
    """A list request, or ``None`` when the question does not ask for a list."""
    if not _LIST_WORDS.search(folded):
        return None
    kind = "target" if _TARGET_WORDS.search(folded) else "task"
    numbered = _SECTION_NUMBER.search(folded)
    section = tuple(numbered.group(1).upper().split(".")) if numbered else None
    return ListRequest(kind, deadline_window(folded) if kind == "task" else None, section)


def asks_for_enumeration(folded: str) -> bool:
    """Whether a folded question asks for several items."""
    return bool(_ENUMERATION.search(folded))
