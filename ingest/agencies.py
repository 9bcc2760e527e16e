"""Map agency mentions (clean, abbreviated or OCR-damaged) to canonical names.

Field values such as "SO Khoa h9c và Cong ngh; các sO, ban, ngành, UBND phi.rOng, x."
are scanned left to right; at each position the longest window of folded words that
fuzzily matches a gazetteer alias wins. Unmatched stretches are kept as written, so
nothing the document says is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from ingest.text import fold, nfc

_TOKEN_RE = re.compile(r"[0-9A-Za-zÀ-ỹĐđ&!?']+|[,;()]")
_SEPARATORS = {",", ";", "(", ")"}
_CONNECTORS = {"va", "cung", "voi", "phoi", "hop"}
_MAX_WINDOW = 16


@dataclass(frozen=True)
class AgencyMention:
    """One agency in a field: its canonical name (``None`` when unknown) and source text."""

    canonical: str | None
    source: str

    @property
    def name(self) -> str:
        """The name to show: canonical when known, else the source text."""
        return self.canonical or self.source


@dataclass(frozen=True)
class Gazetteer:
    """Canonical agency names and their folded aliases."""

    canonical_by_alias: dict[str, str]

    @property
    def aliases(self) -> list[str]:
        """All folded alias strings."""
        return list(self.canonical_by_alias)


def _fold_key(text: str) -> str:
    return " ".join(t for t in _TOKEN_RE.findall(fold(text)) if t not in _SEPARATORS)


def _read_rows(name: str) -> list[tuple[str, list[str]]]:
    text = resources.files("ingest").joinpath(f"data/{name}").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            canonical, _, aliases = line.partition("\t")
            rows.append((canonical.strip(), [a.strip() for a in aliases.split("|") if a.strip()]))
    return rows


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read ``ingest/data/agencies.tsv`` (shipped with the package)."""
    mapping: dict[str, str] = {}
    for canonical, aliases in _read_rows("agencies.tsv"):
        for alias in [canonical, *aliases]:
            mapping.setdefault(_fold_key(alias), canonical)
    return Gazetteer(mapping)


@lru_cache(maxsize=1)
def load_question_gazetteer() -> Gazetteer:
    """The gazetteer plus the agencies' English names (``agencies_en.tsv``), for what people
    type: "Which tasks does the Department of Health lead?". Documents never use them."""
    mapping = dict(load_gazetteer().canonical_by_alias)
    for canonical, names in _read_rows("agencies_en.tsv"):
        for name in names:
            for variant in {name, re.sub(r"^(the )?(city|da nang) ", "", name, flags=re.I)}:
                mapping.setdefault(_fold_key(variant), canonical)
    return Gazetteer(mapping)


# Typed text differs from an alias only by missing diacritics or a typo.
TYPED_THRESHOLD = 90.0


def _threshold(alias: str) -> float:
    # Short aliases ("so y te", "ioc") need near-exact matches; long ones tolerate OCR loss.
    return 80.0 if len(alias) < 12 else 78.0


def _ocr_token(raw: str) -> str:
    """Folded token with OCR's "&" for "ở"/"ơ" read back ("S&" → "so", "phs&ng"), but
    not the "&" of abbreviations ("KH&CN")."""
    if "&" in raw and not re.search(r"[A-ZĐ]&[A-ZĐ]", raw):
        raw = re.sub(r"(?<=[^\W\d_])&", "o", raw)
    return fold(raw)


def _same_head(window: str, alias: str, typed: bool = False) -> bool:
    """The window must start like the alias: junk before a name must not be absorbed.
    Typed text keeps its first word intact ("the Da Nang" is not "Thuế Đà Nẵng")."""
    head, alias_head = window.split(" ", 1)[0], alias.split(" ", 1)[0]
    if typed:
        return head == alias_head
    return head[:1] == alias_head[:1] and fuzz.ratio(head, alias_head) >= 50


def _best_match(
    tokens: list[str], start: int, gazetteer: Gazetteer, typed: bool = False
) -> tuple[str, int] | None:
    """Best (canonical, window length) for a window starting at ``start``."""
    # Rank by score weighted with the window's length, so "UBND các phường, xã, đặc khu"
    # beats its prefix "UBND các phường, xã" but a stray next word ("… thành phố, SO")
    # still lowers the score more than it adds length.
    best: tuple[tuple[bool, float], int, str] | None = None
    words: list[str] = []
    for end in range(start, min(len(tokens), start + _MAX_WINDOW)):
        token = tokens[end]
        if token in (";", "(", ")"):
            break
        if token != ",":
            words.append(token)
        window = " ".join(words)
        if not window:
            continue
        found = process.extractOne(window, gazetteer.aliases, scorer=fuzz.ratio)
        if found is None:
            continue
        alias, score, _ = found
        # An exact alias beats a longer fuzzy window that swallows the next agency
        # ("Sở Nội vụ Sở Khoa học …" is two agencies, not one damaged one).
        weighted = (score >= 97, score * len(window) ** 0.5)
        threshold = TYPED_THRESHOLD if typed else _threshold(alias)
        if score >= threshold and _same_head(window, alias, typed) and (best is None or weighted > best[0]):
            best = (weighted, end - start + 1, gazetteer.canonical_by_alias[alias])
    return (best[2], best[1]) if best else None


def find_agencies(value: str, gazetteer: Gazetteer | None = None, *, typed: bool = False) -> list[AgencyMention]:
    """Agency mentions in a field value, in order, each canonical when recognised.

    ``typed`` text (a user's question or filter, not OCR output) is matched more strictly:
    OCR's tolerance would read "đổi số của Đà Nẵng" as "Đại học Đà Nẵng".
    """
    gazetteer = gazetteer or (load_question_gazetteer() if typed else load_gazetteer())
    text = nfc(value)
    spans = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    raw_tokens = [text[a:b] for a, b in spans]
    tokens = [_ocr_token(t) for t in raw_tokens]
    mentions: list[AgencyMention] = []
    unknown: list[str] = []

    def flush_unknown() -> None:
        words = [w for w in unknown if w not in _SEPARATORS]
        if words and not all(fold(w) in _CONNECTORS for w in words):
            mentions.append(AgencyMention(None, " ".join(words).strip(" .")))
        unknown.clear()

    i = 0
    while i < len(tokens):
        if tokens[i] in _SEPARATORS or (not unknown and tokens[i] in _CONNECTORS):
            flush_unknown()
            i += 1
            continue
        match = _best_match(tokens, i, gazetteer, typed)
        if match is None:
            unknown.append(raw_tokens[i])
            i += 1
            continue
        flush_unknown()
        canonical, length = match
        source = text[spans[i][0] : spans[i + length - 1][1]].strip(" ,;.")
        if all(m.canonical != canonical for m in mentions):
            mentions.append(AgencyMention(canonical, source))
        i += length
    flush_unknown()
    return mentions


def agency_share(text: str) -> float:
    """How much of a line is taken by agencies the gazetteer knows (0–1)."""
    known = [m.source for m in find_agencies(text) if m.canonical]
    return sum(len(k) for k in known) / max(len(text.strip(" -;,.")), 1)
