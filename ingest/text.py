"""Vietnamese text normalisation shared by ingest, index and the assistant.

Three views of a text are used throughout the project:

* ``nfc`` — the display form (Unicode NFC, OCR look-alike letters fixed);
* ``fold`` — lower case, diacritics removed, ``đ`` → ``d``: what users type without
  diacritics and what OCR leaves of a damaged word;
* ``skeleton`` — the consonants of a folded syllable. OCR of the 2026 plan and of the
  Resolution 57 programme drops the vowels that carry diacritics ("nhim" for "nhiệm",
  "trin" for "triển"), so the consonant frame is what survives and what we match on.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that OCR or old encodings put in place of the Vietnamese ones.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u00a0": " ", "\u200b": "", "\ufeff": ""})

_WORD_RE = re.compile(r"[0-9A-Za-zÀ-ỹĐđ&]+")
_VOWELS = set("aeiouy")
# Inside a word that also has letters, OCR digits stand for letters: "h9c" = học,
# "1iu" = liệu, "s6" = số. Map them before building skeletons.
_OCR_DIGIT_VOWELS = str.maketrans({"0": "o", "9": "o", "6": "o", "3": "e"})


def nfc(text: str) -> str:
    """Return ``text`` in NFC with look-alike characters replaced."""
    return unicodedata.normalize("NFC", text).translate(_LOOKALIKES)


def strip_diacritics(text: str) -> str:
    """``text`` as typed on a keyboard without Vietnamese input: case kept, marks removed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LOOKALIKES))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (``đ`` → ``d``)."""
    return strip_diacritics(text).lower()


def words(text: str) -> list[str]:
    """Split ``text`` into word-like tokens (letters, digits, ``&``)."""
    return _WORD_RE.findall(text)


def _is_ocr_mixed(word: str) -> bool:
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


def skeleton(word: str) -> str:
    """Consonant frame of one folded word: ``"nhiem"`` and ``"nhim"`` both give ``"nhm"``.

    Pure numbers are returned unchanged so that "2026" or "5" keep their meaning, except a
    lone "1": OCR reads a whole "l"-syllable as it ("Tun 1 AI" for "Tuần lễ AI", "T 1" for
    "Tỷ lệ"), and the number 1 still matches itself, as "l".
    """
    if word == "1":
        return "l"
    if word.isdigit():
        return word
    if _is_ocr_mixed(word):
        word = word.translate(_OCR_DIGIT_VOWELS).replace("1", "l")
    frame = "".join(c for c in word if c.isalpha() and c not in _VOWELS)
    return frame or word[:1]


def squash(text: str) -> str:
    """Folded letters and digits only: a key for comparing short labels."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def is_mostly_upper(text: str) -> bool:
    """True when the letters of ``text`` are mostly upper case (a heading title)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= 0.6
