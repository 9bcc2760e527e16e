"""Plain records produced by ingest and stored by the index."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class DocumentMeta:
    """What a plan says about itself: kind, number, date, issuer, title, years covered."""

    doc_id: str
    sha256: str
    title: str
    kind: str = ""
    number: str = ""
    date: str | None = None
    issuer: str = ""
    years: list[int] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    line_count: int = 0
    signer: str = ""
    signer_role: str = ""
    signer_lines: list[int] = field(default_factory=list)
    ocr_repaired: bool = False  # the text came out of OCR damaged and was repaired
    tasks: int = 0
    targets: int = 0
    chunks: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass
class TaskRecord:
    """A numbered task with its lead, coordinating agencies and deadline."""

    doc_id: str
    section: str
    text: str
    lead: list[str]
    coordinating: list[str]
    deadline_text: str
    deadline_display: str
    deadline_start: str | None
    deadline_end: str | None
    lines: tuple[int, int]
    page: int | None = None
    lead_source: str = ""
    coordinating_source: str = ""
    quote: str = ""
    leader: str = ""  # "Lãnh đạo UBND phụ trách" column of appendix tables
    note: str = ""  # product / note column of appendix tables
    confidence: float = 1.0
    source: str = "outline"  # outline (a) b) items), table (appendix rows) or prose

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        data = asdict(self)
        data["lines"] = list(self.lines)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskRecord:
        """Inverse of :meth:`to_dict`."""
        return cls(**{**data, "lines": tuple(data["lines"])})


@dataclass
class TargetRecord:
    """A row of a target table: indicator, target value per year, lead agency."""

    doc_id: str
    section: str
    indicator: str
    values: dict[str, str]
    lead: list[str]
    lead_source: str
    lines: tuple[int, int]
    page: int | None = None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        data = asdict(self)
        data["lines"] = list(self.lines)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TargetRecord:
        """Inverse of :meth:`to_dict`."""
        return cls(**{**data, "lines": tuple(data["lines"])})


@dataclass
class Chunk:
    """A retrievable passage with its provenance."""

    chunk_id: str
    doc_id: str
    section: str
    heading: str
    text: str
    lines: tuple[int, int]
    page: int | None = None
    kind: str = "text"
    task_section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        data = asdict(self)
        data["lines"] = list(self.lines)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        """Inverse of :meth:`to_dict`."""
        return cls(**{**data, "lines": tuple(data["lines"])})
