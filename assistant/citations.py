"""Citations: where a stated fact comes from, with the verbatim source quote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.serialize import document_title
from index.store import IndexData

MAX_QUOTE_CHARS = 700


@dataclass(frozen=True)
class Citation:
    """One cited passage (DESIGN.md: id, doc, title, section, lines, page, quote)."""

    id: int
    doc: str
    title: str
    section: str
    lines: tuple[int, int]
    page: int | None
    quote: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the HTTP API."""
        return {
            "id": self.id,
            "doc": self.doc,
            "title": self.title,
            "section": self.section,
            "lines": list(self.lines),
            "page": self.page,
            "quote": self.quote,
        }


def quote_lines(source: list[str], lines: tuple[int, int]) -> str:
    """Source lines ``a..b`` (1-based, inclusive) as one verbatim, whitespace-normalised quote."""
    start, end = lines
    text = " ".join(line.strip() for line in source[max(0, start - 1) : end] if line.strip())
    text = re.sub(r"\s+", " ", text)
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: text.rfind(" ", 0, MAX_QUOTE_CHARS)] + " …"
    return text


class CitationList:
    """Numbers citations in the order an answer uses them; the same passage keeps its number."""

    def __init__(self, data: IndexData) -> None:
        self._data = data
        self._items: list[Citation] = []

    def add(self, doc_id: str, section: str, lines: tuple[int, int], page: int | None = None) -> int:
        """Cite ``lines`` of ``doc_id``; returns the citation number for "[n]"."""
        for item in self._items:
            if item.doc == doc_id and item.lines == lines:
                return item.id
        citation = Citation(
            id=len(self._items) + 1,
            doc=doc_id,
            title=document_title(self._data, doc_id),
            section=section,
            lines=lines,
            page=page,
            quote=quote_lines(self._data.lines.get(doc_id, []), lines),
        )
        self._items.append(citation)
        return citation.id

    def __len__(self) -> int:
        return len(self._items)

    def to_list(self, only: set[int] | None = None) -> list[dict[str, Any]]:
        """The citations as dicts; ``only`` keeps those ids (their numbers do not change)."""
        return [c.to_dict() for c in self._items if only is None or c.id in only]
