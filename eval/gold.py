"""Gold items: question, expected facts (``must_contain`` groups), evidence line spans."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


class GoldFileError(ValueError):
    """The gold file is missing or malformed."""


@dataclass(frozen=True)
class Evidence:
    """Where the answer is: a document and a 1-based inclusive line span."""

    doc: str
    lines: tuple[int, int]


@dataclass(frozen=True)
class GoldItem:
    """One question of the gold set."""

    id: str
    question: str
    kind: str
    style: str
    must_contain: list[list[str]]
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        """Unanswerable items expect a refusal."""
        return self.kind != "unanswerable"


def load_gold(path: Path) -> list[GoldItem]:
    """Read a JSONL gold file, or every ``*.jsonl`` file of a folder (``eval/data/wide``)."""
    try:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    except OSError as exc:
        raise GoldFileError(f"Không đọc được tệp gold / cannot read gold file {path}: {exc}") from exc
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            items.append(
                GoldItem(
                    id=str(row.get("id", number)),
                    question=row["question"],
                    kind=row.get("kind", "fact"),
                    style=row.get("style", ""),
                    must_contain=[list(group) for group in row.get("must_contain", [])],
                    evidence=[Evidence(e["doc"], (int(e["lines"][0]), int(e["lines"][1]))) for e in row.get("evidence", [])],
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, IndexError, ValueError) as exc:
            raise GoldFileError(f"Dòng {number} không hợp lệ / invalid line {number} in {path}: {exc}") from exc
    if not items:
        raise GoldFileError(f"Tệp gold rỗng / empty gold file {path}")
    return items
