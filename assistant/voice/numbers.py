"""Vietnamese numbers in words, both ways: 2026 → "hai nghìn không trăm hai mươi sáu" for
speech, and back from a transcript (tone-insensitive, since the recogniser often hears
"nằm" for "năm")."""

from __future__ import annotations

from ingest.text import fold

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = [(1_000_000_000, "tỷ"), (1_000_000, "triệu"), (1_000, "nghìn")]


def number_words(n: int) -> str:
    """``n`` (≥ 0) read in Vietnamese."""
    if n < 0:
        return "âm " + number_words(-n)
    if n < 1000:
        return _below_thousand(n, leading=True)
    for size, name in SCALES:
        if n >= size:
            head, rest = divmod(n, size)
            words = f"{number_words(head)} {name}"
            if rest == 0:
                return words
            # 2026 → "… nghìn không trăm hai mươi sáu": the hundreds are said even when zero.
            tail = _below_thousand(rest, leading=False) if rest < 1000 else number_words(rest)
            return f"{words} {tail}"
    raise AssertionError("unreachable")


def _below_thousand(n: int, *, leading: bool) -> str:
    hundreds, rest = divmod(n, 100)
    if leading and hundreds == 0:
        return _below_hundred(rest)
    words = f"{DIGITS[hundreds]} trăm"
    if rest == 0:
        return words
    if rest < 10:
        return f"{words} linh {DIGITS[rest]}"
    return f"{words} {_below_hundred(rest)}"


def _below_hundred(n: int) -> str:
    tens, unit = divmod(n, 10)
    if tens == 0:
        return DIGITS[unit]
    words = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return words
    if unit == 5:
        return f"{words} lăm"
    if unit == 1 and tens > 1:
        return f"{words} mốt"
    return f"{words} {DIGITS[unit]}"


# Folded spoken forms (tone marks are unreliable in transcripts of synthetic or fast speech;
# "chăm" for "trăm" is the common tr/ch merger).
_UNITS = {
    "khong": 0, "linh": None, "le": None, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4,
    "nam": 5, "lam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}
_TENS = {"muoi": 10}
_MULTIPLIERS = {"tram": 100, "cham": 100, "nghin": 1000, "ngan": 1000, "trieu": 1_000_000, "ty": 1_000_000_000}


def is_number_word(word: str) -> bool:
    """True for a word that can be part of a spoken number."""
    folded = fold(word.lower())
    return folded in _UNITS or folded in _TENS or folded in _MULTIPLIERS


def parse_number_words(words: list[str]) -> int | None:
    """The value of spoken number ``words`` ("hai nghìn không trăm hai mươi sáu" → 2026),
    or ``None`` when they do not form a number."""
    if len(words) > 1 and fold(words[0].lower()) == "khong":
        return None  # no number is said starting with "không"
    total, group, current = 0, 0, None
    for word in words:
        folded = fold(word.lower())
        if folded in ("linh", "le"):
            continue
        if folded in _UNITS:
            if current is not None:
                return None  # two units in a row ("hai ba") is not one number
            current = _UNITS[folded]
        elif folded in _TENS:
            # "mười" is ten on its own ("một trăm mười"); "mươi" multiplies the digit before it.
            if current is None and word.lower() != "mười" and (group or total):
                return None  # "trăm mươi"
            group += (current if current is not None else 1) * 10
            current = None
        elif folded in _MULTIPLIERS:
            size = _MULTIPLIERS[folded]
            if current is None and not group:
                return None  # "trăm …" with nothing before it is not a number
            value = group + (current or 0)
            if size == 100:
                group = value * 100
            else:
                total += value * size
                group = 0
            current = None
        else:
            return None
    if current is not None:
        group += current
    return total + group
