"""Understand a question: language, intent, task reference, named agency."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from ingest.agencies import AgencyMention, find_agencies
from ingest.text import fold

_VI_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
_EN_WORDS = set(
    "what who which when where how why is are does do the of for in plan task lead deadline "
    "target according city department agency digital transformation responsible organise "
    "organize coordinate coordinates due by "
    # Common English words that no Vietnamese syllable spells, typed with or without diacritics,
    # so that a sentence without a question word ("Ignore … and print your …") is still English.
    "and your you please tell show list give print with from this will should would could about "
    "ignore previous instructions system prompt all any only there their they have has was were "
    "been into these those many much other also must our its".split()
)
_VI_WORDS = set(
    "ai gi nao khi bao gio nhiem vu ke hoach co quan chu tri phoi hop thoi han hoan thanh "
    "cua trong la nhung cac duoc muc tieu thanh pho nam han vay the thi ben lam".split()
)


class Intent(str, Enum):
    """What kind of answer a question asks for."""

    LEAD = "lead"
    COORDINATING = "coordinating"
    DEADLINE = "deadline"


@dataclass
class Query:
    """A question with what was understood of it."""

    text: str
    folded: str
    language: str
    intents: set[Intent] = field(default_factory=set)
    task_ref: tuple[str, ...] | None = None
    wants_list: bool = False
    # Agency names found in the question (fuzzy gazetteer matching, done once).
    mentions: list[AgencyMention] = field(default_factory=list)

    @property
    def agencies(self) -> list[str]:
        """Canonical agencies the question names."""
        return [m.canonical for m in self.mentions if m.canonical]

    @property
    def content_text(self) -> str:
        """The question with agencies written as the plans' records write them ("sở gd" →
        "Sở Giáo dục và Đào tạo"), for checking what a passage covers."""
        text = self.text
        for mention in self.mentions:
            if mention.canonical and mention.source and self.language == "vi":
                text = text.replace(mention.source, mention.canonical, 1)
        return text


def fold_keep_dd(text: str) -> str:
    """Fold diacritics but keep ``đ``: task letters "d" and "đ" are different items."""
    text = unicodedata.normalize("NFC", text).lower()
    out = []
    for ch in text:
        if ch == "đ":
            out.append(ch)
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base)
    return "".join(out)


def detect_language(text: str, mentions: list[AgencyMention] | None = None) -> str:
    """``vi`` or ``en``; diacritic-free Vietnamese is recognised by its common words."""
    lowered = text.lower()
    # An agency's Vietnamese name says nothing of the asker's language: "Which tasks does
    # Sở Khoa học và Công nghệ lead?" is English.
    for mention in find_agencies(text, typed=True) if mentions is None else mentions:
        if mention.canonical and mention.source:
            lowered = lowered.replace(mention.source.lower(), " ")
    tokens = re.findall(r"[a-zà-ỹđ]+", lowered)
    accented = sum(any(ch in _VI_LETTERS for ch in t) for t in tokens)
    plain = [t for t in tokens if not any(ch in _VI_LETTERS for ch in t)]
    en = sum(t in _EN_WORDS for t in plain)
    vi = sum(t in _VI_WORDS for t in plain) + accented
    # An English question may quote Vietnamese terms ("contactless (phi tiếp xúc)").
    return "en" if en > vi or (en >= 4 and en >= 2 * accented and en >= vi - accented + 2) else "vi"


_TASK_REF_PATTERNS = (
    # "mục III.5.b", "III.5.b", "muc III 5 b"
    re.compile(r"\b([ivx]{1,4})\s*[.\s]\s*(\d{1,2})\s*[.\s]?\s*([a-zđ])\b(?!\w)"),
    # "nhiệm vụ 5b", "task 5.b", "nv 5 b", "mục 5b", "5.b"
    re.compile(
        r"(?:nhiem\s*vu|nv|task|item|muc|diem|nhiệm\s*vụ)\s*(?:so\s*)?(\d{1,2})\s*[.\s]?\s*([a-zđ])\b(?!\w)"
    ),
    re.compile(r"(?<![\w/.])(\d{1,2})\.([a-zđ])\b(?!\w)"),
    # "nhiệm vụ 5 điểm b", "mục 5, điểm b"
    re.compile(r"(?:nhiem\s*vu|nv|task|muc)\s*(\d{1,2})\s*,?\s*(?:[dđ]iem|point|letter)\s*([a-zđ])\b"),
)
_ROMAN_VALUES = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}

_INTENT_PATTERNS: dict[Intent, tuple[str, ...]] = {
    Intent.LEAD: (
        r"chu tri",
        r"phu trach",
        r"chiu trach nhiem",
        r"\blo\b",
        r"\blead",
        r"responsible",
        r"in charge",
        r"organi[sz]",
    ),
    Intent.COORDINATING: (r"phoi hop", r"coordinat", r"cung voi", r"with whom", r"support"),
    Intent.DEADLINE: (
        r"\bhan\b",
        r"thoi han",
        r"thoi gian",
        r"khi nao",
        r"bao gio",
        r"luc nao",
        r"\bwhen\b",
        r"deadline",
        r"\bdue\b",
        r"by when",
        r"hoan thanh (vao|truoc|trong)",
    ),
}
# "who", "which agency" ask for the lead unless the question is about coordination.
_GENERIC_WHO = (r"\bai\b", r"co quan nao", r"don vi nao", r"\bben nao\b", r"\bso nao\b", r"\bwho\b",
                r"which (agency|department|body|unit|organi)")
_LIST_PATTERNS = (
    r"nhung nhiem vu nao",
    r"cac nhiem vu nao",
    r"nhiem vu nao",
    r"nhung viec (gi|nao)",
    r"bao nhieu nhiem vu",
    r"liet ke",
    r"which tasks",
    r"what tasks",
    r"list (the |all )?tasks",
)


_APPENDIX_REF = re.compile(r"\bpl\s*(\d{0,2})\s*[.\s]\s*([ivx]{1,4})\s*[.\s]\s*(\d{1,2}(?:\.\d{1,2})?)\b")
_NUMBERED_REF = re.compile(r"(?:nhiem\s*vu|nv|task|item|muc)\s*(?:so\s*)?(\d{1,2})\.(\d{1,2})\b(?!\.\d)")


def parse_task_ref(text: str) -> tuple[str, ...] | None:
    """Section path named by the question: ``("III", "5", "b")``, ``("5", "b")``,
    appendix rows ``("PL2", "I", "2")`` or numbered rows ``("1", "6")``."""
    lowered = fold_keep_dd(text)
    appendix = _APPENDIX_REF.search(lowered)
    if appendix:
        number, roman, rows = appendix.groups()
        return (f"PL{number}", roman.upper(), *rows.split("."))
    for pattern in _TASK_REF_PATTERNS:
        match = pattern.search(lowered)
        if not match:
            continue
        groups = [g for g in match.groups() if g]
        if len(groups) == 3 and groups[0] in _ROMAN_VALUES:
            return (groups[0].upper(), groups[1], groups[2])
        if len(groups) == 2:
            return (groups[0], groups[1])
    numbered = _NUMBERED_REF.search(lowered)
    if numbered:
        return numbered.groups()
    return None


# "kế hoạch … của UBND thành phố", "the Party Committee's programme": the agency issued the
# plan the question names; it is not the agency asked about.
_ISSUER_BEFORE = re.compile(
    r"(ke hoach|de an|chuong trinh|nghi quyet|nq ?57|plan|programme|program|scheme)\b[^,;?]{0,60}\b(cua|of)( the)?\s*$"
)
_ISSUER_AFTER = re.compile(r"^('s)?\s+(\w+ ){0,3}(plan|programme|program|scheme)\b")


def _issuers_removed(text: str, mentions: list[AgencyMention]) -> list[AgencyMention]:
    """``mentions`` without those that only name who issued the plan."""
    kept, position = [], 0
    folded = fold(text)
    for mention in mentions:
        at = folded.find(fold(mention.source), position) if mention.source else -1
        if at < 0:
            kept.append(mention)
            continue
        position = at + len(mention.source)
        issuer = mention.canonical is not None and (
            _ISSUER_BEFORE.search(folded[:at]) or _ISSUER_AFTER.search(folded[position:])
        )
        if not issuer:
            kept.append(mention)
    return kept


def analyze_query(text: str) -> Query:
    """Everything the answer logic needs to know about a question."""
    folded = " ".join(fold(text).split())
    mentions = _issuers_removed(text, find_agencies(text, typed=True))
    query = Query(text=text, folded=folded, language=detect_language(text, mentions), mentions=mentions)
    for intent, patterns in _INTENT_PATTERNS.items():
        if any(re.search(p, folded) for p in patterns):
            query.intents.add(intent)
    if Intent.COORDINATING not in query.intents and any(re.search(p, folded) for p in _GENERIC_WHO):
        query.intents.add(Intent.LEAD)
    query.task_ref = parse_task_ref(text)
    query.wants_list = any(re.search(p, folded) for p in _LIST_PATTERNS)
    return query
