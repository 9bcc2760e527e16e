"""Who signed a document: the name and role printed after the "Nơi nhận" block.

Vietnamese administrative documents end with the recipients list ("Nơi nhận:") beside
the signature block ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", then the
name). OCR interleaves the two columns, so the name is looked for in the lines after
the marker, and damaged spellings are mapped to a small gazetteer of city leaders.
A document whose signature is missing (blank, cut off) yields no signer: the assistant
then says so rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from ingest.loaders import SourceLine
from ingest.text import fold, nfc

_MARKER = re.compile(r"^\W*n\w{0,2}\W{0,2}\s*nh\w{1,2}n\s*:")
_SURNAMES = set(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly luong truong "
    "dinh doan mai cao lam trinh ha".split()
)
_NAME = re.compile(r"\b([A-ZÀ-ỸĐ][\wÀ-ỹ']{1,8})((?:\s+[A-ZÀ-ỸĐ][\wÀ-ỹ']{0,8}){1,3})\s*$")
_ROLE = re.compile(r"\b(kt\.|tm\.|chu tich|bi thu|pho chu tich|truong ban)\b")
_WINDOW = 45


@dataclass(frozen=True)
class Signature:
    """A signer's name as the document prints it and as the gazetteer knows it."""

    name: str
    source: str
    role: str
    line: int


@lru_cache(maxsize=1)
def _people() -> dict[str, tuple[str, str]]:
    # The role column documents who the person is; answers take the role from the page.
    text = resources.files("ingest").joinpath("data/people.tsv").read_text(encoding="utf-8")
    people: dict[str, tuple[str, str]] = {}
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            name, _, role = row.partition("\t")
            people.setdefault(fold(name), (name.strip(), role.strip()))
    return people


def _canonical(name: str) -> tuple[str, str] | None:
    found = process.extractOne(fold(name), list(_people()), scorer=fuzz.ratio)
    if found and found[1] >= 80:
        return _people()[found[0]]
    return None


def find_signature(lines: list[SourceLine]) -> Signature | None:
    """The signer named after the first "Nơi nhận" marker, if any."""
    for i, line in enumerate(lines):
        if not _MARKER.match(fold(line.text)):
            continue
        roles = [
            nfc(x.text).strip()
            for x in lines[i : i + _WINDOW]
            if _ROLE.search(fold(x.text)) and not x.text.lstrip().startswith("-")
        ]
        for candidate in lines[i : i + _WINDOW]:
            text = nfc(candidate.text).strip()
            match = _NAME.search(text)
            if not match or fold(match.group(1)) not in _SURNAMES:
                continue
            source = (match.group(1) + match.group(2)).strip()
            known = _canonical(source)
            role = ", ".join(roles[-2:])
            if known:
                return Signature(known[0], source, role, candidate.no)
            return Signature(source, source, role, candidate.no)
        return None
    return None


def names_a_person(text: str) -> bool:
    """True when ``text`` contains a Vietnamese personal name (a surname, then 1–3
    capitalised syllables): "Lê Quang Nam", "Nguyễn Văn Quảng"."""
    words = re.findall(r"[^\W\d_]+", nfc(text))
    for i, word in enumerate(words[:-1]):
        if word[:1].isupper() and word[1:].islower() and fold(word) in _SURNAMES:
            following = words[i + 1 : i + 4]
            if following and following[0][:1].isupper() and following[0][1:].islower():
                return True
    return False
