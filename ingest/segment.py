"""Vietnamese word segmentation behind a small interface.

underthesea joins syllables into words ("khoa_học", "công_nghệ"); the lexical index uses
those compounds alongside single syllables. It mis-splits agency names, which is fine
for ranking but never used to parse names.
"""

from __future__ import annotations

from typing import Protocol


class WordSegmenter(Protocol):
    """Splits text into words; multi-syllable words joined with ``_``."""

    name: str

    def segment(self, text: str) -> list[str]:
        """Words of ``text``."""
        ...


class UndertheseaSegmenter:
    """underthesea's ``word_tokenize`` (offline; loaded on first use)."""

    name = "underthesea-word_tokenize"

    def __init__(self) -> None:
        self._tokenize = None

    def segment(self, text: str) -> list[str]:
        """Words of ``text`` as underthesea segments them."""
        if self._tokenize is None:
            from underthesea import word_tokenize

            self._tokenize = word_tokenize
        assert self._tokenize is not None
        return [w.replace(" ", "_") for w in self._tokenize(text)]


class WhitespaceSegmenter:
    """Deterministic stand-in for tests: one word per whitespace-separated token."""

    name = "whitespace"

    def segment(self, text: str) -> list[str]:
        """Whitespace tokens of ``text``."""
        return text.split()
