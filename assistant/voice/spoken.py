"""A transcript made ready to be asked: numbers said in words become digits where the
assistant needs them ("nhiệm vụ năm bê" → "nhiệm vụ 5b", "năm hai nghìn không trăm hai mươi
sáu" → "năm 2026", "tháng sáu" → "tháng 6"). Everything else is left as heard."""

from __future__ import annotations

import re

from assistant.voice.numbers import is_number_word, parse_number_words
from ingest.text import fold

# How task letters are said (folded): "a", "bê", "xê", "dê", "đê", "e", "giê".
_LETTER_WORDS = {"a": "a", "be": "b", "b": "b", "xe": "c", "c": "c", "de": "d", "d": "d", "e": "e", "gie": "g", "g": "g"}
_BEFORE_SMALL_NUMBER = {"thang", "quy", "so", "muc", "diem", "vu"}  # "tháng sáu", "nhiệm vụ hai"
_SCALE_WORDS = {"muoi", "tram", "cham", "nghin", "ngan", "trieu", "ty"}


def written_question(transcript: str) -> str:
    """``transcript`` with spoken numbers written as digits."""
    tokens = re.findall(r"\w+|[^\w\s]+", transcript)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        span = _number_span(tokens, i)
        if span is None:
            out.append(tokens[i])
            i += 1
            continue
        end, value = span
        text = str(value)
        previous = _previous_word(out)
        if previous == "vu" and end < len(tokens):  # "nhiệm vụ năm bê" → "nhiệm vụ 5b"
            letter = _LETTER_WORDS.get(fold(tokens[end].lower()))
            if letter:
                text += letter
                end += 1
        out.append(text)
        i = end
    return _join(out)


def _number_span(tokens: list[str], start: int) -> tuple[int, int] | None:
    """(end, value) of the longest spoken number from ``start`` that is worth writing."""
    if not is_number_word(tokens[start]):
        return None
    end = start
    while end < len(tokens) and is_number_word(tokens[end]):
        end += 1
    for stop in range(end, start, -1):
        words = tokens[start:stop]
        value = parse_number_words(words)
        if value is None:
            continue
        has_scale = any(fold(w.lower()) in _SCALE_WORDS for w in words)
        after_cue = _previous_word(tokens[:start]) in _BEFORE_SMALL_NUMBER
        if has_scale or after_cue:
            return stop, value
    return None


def _previous_word(tokens: list[str]) -> str:
    """The last word before here, folded, over punctuation ("nhiệm vụ, năm bê")."""
    for token in reversed(tokens):
        if re.match(r"\w", token):
            return fold(token.lower())
    return ""


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return re.sub(r"\s+([,.?!;:])", r"\1", text)
