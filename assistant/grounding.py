"""Checks on a generated answer before it is shown: citations, figures, agencies, language.

The model sees numbered passages and must cite them as [n]. Unknown numbers are dropped
(while streaming, too); an answer is rejected, and the extractive answer used instead, when
no valid citation is left, when it states a figure or names an agency the passages do not
contain, when it is not in the question's language, or when it is degenerate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.agencies import find_agencies
from ingest.text import fold

_MARKER = re.compile(r"\[(\d{1,3})\]")
_PARTIAL = re.compile(r"\[\d{0,3}$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ENUMERATION = re.compile(r"^\W*(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\))\s*")  # "1.14.", "2.", "a)" heading a passage
_VI_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
_EN_WORDS = frozenset("the is are of and to in for by will be with from on a an its it this that was".split())


class CitationFilter:
    """Streams text through, dropping ``[n]`` markers whose ``n`` is not an allowed passage.
    A marker split across pieces ("[" then "2]") is held back until it is complete."""

    def __init__(self, allowed: set[int]) -> None:
        self.allowed = allowed
        self._held = ""

    def feed(self, piece: str) -> str:
        text = self._held + piece
        partial = _PARTIAL.search(text)
        self._held = partial.group(0) if partial else ""
        if partial:
            text = text[: partial.start()]
        return self._clean(text)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return self._clean(text)

    def _clean(self, text: str) -> str:
        return _MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in self.allowed else "", text)


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`check`."""

    ok: bool
    reason: str = ""
    cited: tuple[int, ...] = ()


def cited_numbers(answer: str) -> list[int]:
    """Passage numbers an answer cites, in order of first use."""
    seen: list[int] = []
    for m in _MARKER.finditer(answer):
        n = int(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def check(answer: str, passages: dict[int, str], question: str, language: str, instructions: str = "") -> Verdict:
    """Whether ``answer`` (already filtered) may be shown for ``question``.

    ``passages`` are in the order given to the model, the best evidence first: an answer
    citing it must keep all its figures (a summary that drops "nhóm 05 địa phương" loses
    the answer). ``instructions`` is what the model was told: an answer repeating it has
    been talked into leaking its prompt."""
    cited = [n for n in cited_numbers(answer) if n in passages]
    body = _MARKER.sub(" ", answer).strip()
    if len(body) < 8:
        return Verdict(False, "empty")
    if instructions and repeats_instructions(body, instructions):
        return Verdict(False, "repeats its instructions")
    if not cited:
        return Verdict(False, "no valid citation")
    if _repetitive(body):
        return Verdict(False, "repetitive")
    if not _adds_information(body, question):
        return Verdict(False, "restates the question")
    if not _in_language(body, language):
        return Verdict(False, f"not in {language}")
    source = " ".join(passages.values())
    known_numbers = {_plain_number(n) for n in _NUMBER.findall(source + " " + question)}
    stated = _NUMBER.findall(body)
    for number in stated:
        if _plain_number(number) not in known_numbers:
            return Verdict(False, f"figure {number} not in the passages")
    known_agencies = {m.canonical for m in find_agencies(source) if m.canonical}
    for mention in find_agencies(body, typed=True):
        if mention.canonical and mention.canonical not in known_agencies:
            return Verdict(False, f"agency {mention.canonical} not in the passages")
    best = next(iter(passages), None)
    if best in cited:
        kept = {_plain_number(n) for n in stated}
        for number in _NUMBER.findall(_ENUMERATION.sub("", passages[best])):
            if _plain_number(number) not in kept:
                return Verdict(False, f"figure {number} of the best passage dropped")
    return Verdict(True, cited=tuple(cited))


_LEAK_WORDS = 6  # this many words in a row from the instructions is a leak, not a coincidence


def repeats_instructions(answer: str, instructions: str) -> bool:
    said = fold(answer).split()
    told = fold(instructions).split()
    runs = {tuple(told[i : i + _LEAK_WORDS]) for i in range(len(told) - _LEAK_WORDS + 1)}
    return any(tuple(said[i : i + _LEAK_WORDS]) in runs for i in range(len(said) - _LEAK_WORDS + 1))


def _plain_number(text: str) -> str:
    # "0,7069" and "0.7069", "15.000" and "15,000" are the same figure.
    return re.sub(r"[.,]", "", text).lstrip("0") or "0"


def _repetitive(text: str) -> bool:
    """A loop of the same words, or a line said twice (the small model repeats list items
    in place of one it could not read)."""
    lines = [" ".join(fold(line).strip(" -•*").split()) for line in text.splitlines()]
    lines = [re.sub(r"\s*\[\d+\]", "", line) for line in lines if len(line) >= 12]
    if len(set(lines)) < len(lines):
        return True
    words = fold(text).split()
    if len(words) < 24:
        return False
    grams = [" ".join(words[i : i + 6]) for i in range(len(words) - 5)]
    return len(set(grams)) < 0.6 * len(grams)


def _adds_information(answer: str, question: str) -> bool:
    """An answer that only restates the question ("… đặt mục tiêu bao nhiêu phòng …") says nothing."""
    asked = set(fold(question).split())
    new = [w for w in re.findall(r"\w+", fold(answer)) if w not in asked and (len(w) > 1 or w.isdigit())]
    return len(new) >= 2 or any(w.isdigit() for w in new)


def _in_language(text: str, language: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    if language == "vi":
        return len(_VI_LETTERS.findall(text)) >= max(1, letters * 0.04)
    words = re.findall(r"[a-z]+", text.lower())
    return sum(w in _EN_WORDS for w in words) >= 2
