"""Recover the outline of a Vietnamese administrative document.

Plans number their parts as ``Phần I`` / ``PHẦN A`` → ``I.`` (Roman) → ``1.`` → ``1.1.`` →
``a)`` ``b)`` … ``đ)`` …, with appendices (``Phụ lục I``). Task items carry bullet fields
("- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …", "- Thời gian hoàn thành: …"). Two of the
shipped plans are OCR output, so every marker and label is matched on folded text and
with fuzzy tolerance ("Ill." is III, "Ca quan chü trI" is "Cơ quan chủ trì", a second
"d)" after "d)" is "đ)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from rapidfuzz import fuzz

from ingest.clean import Paragraph
from ingest.text import fold, is_mostly_upper, squash

LETTER_ORDER = "abcdđeghiklmnopqrstuvxy"


class FieldKind(str, Enum):
    """The bullet fields of a task item."""

    LEAD = "lead"
    COORDINATING = "coordinating"
    DEADLINE = "deadline"


# Canonical labels (squashed) per field; OCR spellings are matched against these.
_FIELD_LABELS: dict[FieldKind, tuple[str, ...]] = {
    FieldKind.LEAD: (
        "coquanchutri",
        "donvichutri",
        "chutri",
        "chutrithuchien",
        "coquanchutrithuchien",
        "donvichutrithuchien",
    ),
    FieldKind.COORDINATING: ("coquanphoihop", "donviphoihop", "phoihop", "coquanphoihopthuchien"),
    FieldKind.DEADLINE: (
        "thoigianhoanthanh",
        "thoihanhoanthanh",
        "thoigianthuchien",
        "thoihanthuchien",
        "thoihantrienkhai",
        "thoigiantrienkhai",
        "tiendohoanthanh",
    ),
}
_FIELD_MIN_SCORE = 72
_FIELD_RE = re.compile(r"^[-–+•*]?\s*([^:]{4,45}?)\s*:\s*(.*)$")

_PART_RE = re.compile(r"^ph\w{0,2}n\s+([ivxl1]+|[a-e])\b\s*[.:]?\s*(.*)$")
_ROMAN_RE = re.compile(r"^([IVXLl1!]{1,5})\s*[.,]\s*(\S.*)$")
# "1. Title", "3.Title", "1.1. Title" and table row numbers "1.4 Text" (no final dot).
_NUMBER_RE = re.compile(
    r"^(\d{1,2}(?!\d)(?:\s*\.\s*\d{1,2}(?!\d)){0,3})\s*[.)](?!\d)\s*(\S.*)$"
    r"|^(\d{1,2}(?:\.\d{1,2}){1,3})(?!\d)\s*(.*)$"
)
_LETTER_RE = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
_LEADING_JUNK = re.compile(r"^[\s,.'`\"‘’“”]+")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


class BlockKind(str, Enum):
    """What a paragraph is in the outline."""

    PART = "part"
    APPENDIX = "appendix"
    ROMAN = "roman"
    NUMBER = "number"
    LETTER = "letter"
    FIELD = "field"
    TEXT = "text"


@dataclass
class Block:
    """A paragraph placed in the outline."""

    kind: BlockKind
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    page: int | None = None
    title: str = ""
    field: FieldKind | None = None
    value: str = ""
    part: str = ""


def roman_to_int(numeral: str) -> int | None:
    """Value of a Roman numeral written with I, V, X, L; ``None`` if malformed."""
    total = 0
    values = [_ROMAN_VALUES.get(ch) for ch in numeral.upper()]
    if not values or any(v is None for v in values):
        return None
    ints = [v for v in values if v is not None]
    for i, value in enumerate(ints):
        total += -value if i + 1 < len(ints) and value < ints[i + 1] else value
    return total if 0 < total < 60 else None


def int_to_roman(value: int) -> str:
    """Roman numeral for 1..59."""
    out = ""
    for number, numeral in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += numeral
            value -= number
    return out


def classify_field(label: str, *, strict: bool = False) -> FieldKind | None:
    """Which task field a bullet label names, tolerating OCR damage.

    A label may run on past the canonical words ("Thời hạn hoàn thành ban hành hướng
    dẫn"): its prefix is compared too, more strictly. ``strict`` asks for a near-exact
    label, for lines that lack the leading bullet.
    """
    # OCR prints "ủ" as "ñ" ("Ca quan chñ tn"): read it as the vowel it stands for.
    key = squash(label.replace("ñ", "u").replace("Ñ", "U"))
    if len(key) < 5:
        return None
    best: tuple[float, FieldKind | None] = (0.0, None)
    for kind, labels in _FIELD_LABELS.items():
        for canonical in labels:
            score = fuzz.ratio(key, canonical)
            if len(key) > len(canonical) + 3 and len(canonical) >= 10:
                prefix = fuzz.ratio(key[: len(canonical)], canonical)
                score = max(score, prefix - 8)
            if score > best[0]:
                best = (score, kind)
    threshold = 88 if strict else _FIELD_MIN_SCORE
    return best[1] if best[0] >= threshold else None


def _is_appendix(text: str) -> str | None:
    """Appendix number ("1", "2", …) when ``text`` opens an appendix, else ``None``."""
    folded = fold(text).strip()
    head = folded.split()
    if len(head) > 8 or not head:
        return None
    first_two = "".join(head[:2])
    if not (first_two.startswith("phuluc") or fuzz.ratio(re.sub(r"[^a-z]", "", first_two), "phuluc") >= 70):
        return None
    rest = " ".join(head[2:3]).upper().strip(".:")
    number = roman_to_int(rest) if rest else None
    if number is None and rest.isdigit():
        number = int(rest)
    return str(number or 1)


@dataclass
class _Cursor:
    part: str = ""
    appendix: str = ""
    roman: str = ""
    roman_value: int = 0
    numbers: tuple[str, ...] = ()
    letter: str = ""
    letters_seen: list[str] = field(default_factory=list)

    def path(self) -> tuple[str, ...]:
        head = (f"PL{self.appendix}",) if self.appendix else ()
        roman = (self.roman,) if self.roman else ()
        letter = (self.letter,) if self.letter else ()
        return head + roman + self.numbers + letter


def _number_parts(raw: str) -> tuple[str, ...]:
    return tuple(p for p in re.sub(r"\s+", "", raw).split(".") if p)


class OutlineParser:
    """Walk paragraphs in order, tracking the current section path."""

    def __init__(self) -> None:
        self.cursor = _Cursor()

    def parse(self, paragraphs: list[Paragraph]) -> list[Block]:
        """Place every paragraph in the outline."""
        return [self._place(p) for p in paragraphs]

    def _block(self, kind: BlockKind, para: Paragraph, title: str = "", **extra: object) -> Block:
        return Block(
            kind=kind,
            path=self.cursor.path(),
            text=para.text,
            start=para.start,
            end=para.end,
            page=para.page,
            title=title,
            part=self.cursor.part,
            **extra,  # type: ignore[arg-type]
        )

    def _place(self, para: Paragraph) -> Block:
        text = _LEADING_JUNK.sub("", para.text)
        folded = fold(text)
        cur = self.cursor

        match = _PART_RE.match(folded)
        if match and len(text) < 200:
            numeral = match.group(1).upper().replace("L", "I").replace("1", "I")
            cur.part, cur.appendix, cur.roman, cur.roman_value = numeral, "", "", 0
            cur.numbers, cur.letter, cur.letters_seen = (), "", []
            return self._block(BlockKind.PART, para, title=text)

        appendix = _is_appendix(text)
        if appendix is not None:
            cur.appendix, cur.roman, cur.roman_value = appendix, "", 0
            cur.numbers, cur.letter, cur.letters_seen = (), "", []
            return self._block(BlockKind.APPENDIX, para, title=text)

        field_match = _FIELD_RE.match(text)
        if field_match:
            label, value = field_match.groups()
            bulleted = text.lstrip()[:1] in "-–+•*"
            kind = classify_field(label, strict=not bulleted)
            if kind is not None:
                return self._block(BlockKind.FIELD, para, field=kind, value=value.strip())

        match = _ROMAN_RE.match(text)
        if match:
            raw = match.group(1).replace("l", "I").replace("1", "I").replace("!", "I")
            value = roman_to_int(raw)
            title = match.group(2)
            expected = value is not None and (value == cur.roman_value + 1 or value == 1)
            if value is not None and (is_mostly_upper(title[:30]) or (expected and raw == match.group(1))):
                if not expected and cur.roman_value > 0:
                    # OCR misreads numerals ("II." for III, "I11." for IV); Roman sections
                    # within a part run in sequence, so the next one is the previous + 1.
                    value = cur.roman_value + 1
                cur.roman, cur.roman_value = int_to_roman(value), value
                cur.numbers, cur.letter, cur.letters_seen = (), "", []
                return self._block(BlockKind.ROMAN, para, title=title)

        match = _NUMBER_RE.match(text)
        if match:
            parts = _number_parts(match.group(1) or match.group(3))
            title = match.group(2) or match.group(4) or ""
            if len(parts) == 1 or parts[: len(cur.numbers)] == cur.numbers[: len(parts) - 1] or (
                len(parts) > 1 and parts[0] == (cur.numbers[:1] or ("",))[0]
            ):
                cur.numbers = parts
            else:
                # A row number of a table ("1.4", "2.1") under a numbered heading: the
                # row lives inside that heading ("II.3" + "1.4" → "II.3.1.4").
                cur.numbers = cur.numbers[:1] + parts
            cur.letter, cur.letters_seen = "", []
            return self._block(BlockKind.NUMBER, para, title=title)

        match = _LETTER_RE.match(text)
        if match:
            letter = match.group(1)
            if letter == "d" and "d" in cur.letters_seen:
                letter = "đ"  # OCR prints "d)" for "đ)"
            cur.letter = letter
            cur.letters_seen.append(letter)
            return self._block(BlockKind.LETTER, para, title=match.group(2))

        return self._block(BlockKind.TEXT, para)


def parse_outline(paragraphs: list[Paragraph]) -> list[Block]:
    """Outline blocks for a document's paragraphs."""
    return OutlineParser().parse(paragraphs)


def format_path(path: tuple[str, ...]) -> str:
    """Dotted section path, e.g. ``III.5.b``."""
    return ".".join(path)
