"""The on-disk index: build, update incrementally, swap atomically, load.

Layout under ``<data_dir>/index/``::

    CURRENT              name of the active version directory (replaced atomically)
    v-<time>-<id>/       one complete, immutable index version
        manifest.json    embedder, dimension, segmenter, parser version, document hashes
        documents.json   metadata per document
        chunks.jsonl     chunks (row i ↔ vector i ↔ lexical row i)
        tasks.jsonl      task records
        targets.jsonl    target-table rows
        terms.jsonl      analysed lexical terms per chunk (reused for unchanged documents)
        lines/<doc>.json source lines, for citation quotes
        vectors.npy, index.faiss, lexical.npz, lexical_vocab.json

A new version is written beside the old one and only then named in ``CURRENT``: a crash
half-way leaves the previous version serving. Unchanged documents (same sha256, same
embedder and parser) are copied from the previous version, not re-parsed or re-embedded.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index.analyze import analyze
from index.dense import DenseIndex
from index.embed_cache import EmbeddingCache
from index.lexical import LexicalIndex
from ingest.embed import Embedder
from ingest.loaders import DocumentLoadError, discover_documents, file_sha256
from ingest.pipeline import PARSER_VERSION, ParsedDocument, parse_document
from ingest.records import Chunk, DocumentMeta, TargetRecord, TaskRecord
from ingest.segment import WordSegmenter

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
_KEEP_OLD_VERSIONS = 1


class IndexError_(RuntimeError):
    """The index is missing, corrupt, or was built with a different model."""


@dataclass
class IndexData:
    """Everything a loaded index version holds."""

    directory: Path
    manifest: dict[str, object]
    documents: dict[str, DocumentMeta]
    chunks: list[Chunk]
    tasks: list[TaskRecord]
    terms: list[list[str]]
    lines: dict[str, list[str]]
    vectors: np.ndarray
    lexical: LexicalIndex
    dense: DenseIndex | None
    targets: list[TargetRecord] = field(default_factory=list)
    rows_by_doc: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row, chunk in enumerate(self.chunks):
            self.rows_by_doc.setdefault(chunk.doc_id, []).append(row)


@dataclass
class IngestReport:
    """What an ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True when a new version was written."""
        return bool(self.added or self.updated or self.removed)


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _safe_name(doc_id: str) -> str:
    return doc_id.replace("/", "_")


class IndexStore:
    """Owns ``<data_dir>/index`` and the embedder/segmenter that its vectors depend on."""

    def __init__(
        self, root: Path, *, embedder: Embedder | None, segmenter: WordSegmenter | None
    ) -> None:
        self.root = root
        self.embedder = embedder
        self.segmenter = segmenter

    # ----- identity -------------------------------------------------------------------
    def _fingerprint(self) -> dict[str, object]:
        return {
            "format": FORMAT_VERSION,
            "parser": PARSER_VERSION,
            "embedder": self.embedder.name if self.embedder else "none",
            "dim": self.embedder.dim if self.embedder else 0,
            "segmenter": self.segmenter.name if self.segmenter else "none",
        }

    def current_dir(self) -> Path | None:
        """Directory of the active version, or ``None`` if there is none."""
        pointer = self.root / "CURRENT"
        if not pointer.is_file():
            return None
        name = pointer.read_text("utf-8").strip()
        path = self.root / name
        return path if name and path.is_dir() else None

    # ----- loading --------------------------------------------------------------------
    def load(self) -> IndexData:
        """Load the active version; raise :class:`IndexError_` if missing, corrupt or mismatched."""
        directory = self.current_dir()
        if directory is None:
            raise IndexError_("Chưa có chỉ mục / no index yet: run `assistant ingest`")
        try:
            return self._load_dir(directory)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            raise IndexError_(f"Chỉ mục hỏng / corrupt index at {directory.name}: {exc}") from exc

    def _load_dir(self, directory: Path) -> IndexData:
        manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
        expected = self._fingerprint()
        for key in ("format", "embedder", "dim", "segmenter", "parser"):
            if manifest.get(key) != expected[key]:
                raise IndexError_(
                    f"Chỉ mục được tạo với {key}={manifest.get(key)!r}, cấu hình hiện tại là "
                    f"{expected[key]!r} / index built with a different {key}: re-run ingest"
                )
        documents = {
            d["doc_id"]: DocumentMeta(**d)
            for d in json.loads((directory / "documents.json").read_text("utf-8"))
        }
        chunks = [Chunk.from_dict(row) for row in _read_jsonl(directory / "chunks.jsonl")]
        tasks = [TaskRecord.from_dict(row) for row in _read_jsonl(directory / "tasks.jsonl")]
        targets = [TargetRecord.from_dict(row) for row in _read_jsonl(directory / "targets.jsonl")]
        terms = [list(row["t"]) for row in _read_jsonl(directory / "terms.jsonl")]  # type: ignore[call-overload]
        lines = {
            doc_id: json.loads((directory / "lines" / f"{_safe_name(doc_id)}.json").read_text("utf-8"))
            for doc_id in documents
        }
        vectors = np.load(directory / "vectors.npy")
        lexical = LexicalIndex.load(directory)
        dense = DenseIndex.load(directory / "index.faiss") if self.embedder else None
        if len(terms) != len(chunks) or vectors.shape[0] != len(chunks):
            raise IndexError_(f"Chỉ mục không nhất quán / inconsistent index at {directory.name}")
        if dense is not None and dense.size != len(chunks):
            raise IndexError_(f"Chỉ mục FAISS lệch / FAISS index size mismatch at {directory.name}")
        return IndexData(directory, manifest, documents, chunks, tasks, terms, lines, vectors, lexical, dense, targets)

    # ----- building -------------------------------------------------------------------
    def ingest(
        self,
        paths: list[Path],
        *,
        progress: bool = True,
        prune: bool = True,
        full: bool = False,
        on_parsed: Callable[[ParsedDocument], None] | None = None,
    ) -> IngestReport:
        """Bring the index up to date with ``paths`` (files or directories).

        With ``prune`` the corpus is exactly ``paths``: indexed documents not among them
        are removed. Unchanged documents cost a hash each; ``full`` re-reads them all.
        One ingest runs at a time, across processes (the CLI beside the service).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self._ingest(paths, progress=progress, prune=prune, full=full, on_parsed=on_parsed)

    def _ingest(
        self,
        paths: list[Path],
        *,
        progress: bool,
        prune: bool,
        full: bool,
        on_parsed: Callable[[ParsedDocument], None] | None,
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        files = discover_documents(paths)
        previous: IndexData | None = None
        try:
            previous = self.load() if self.current_dir() else None
        except IndexError_ as exc:
            log.warning("rebuilding index from scratch: %s", exc)
        old_hashes: dict[str, str] = dict(previous.manifest.get("documents", {})) if previous else {}  # type: ignore[arg-type]
        if full:
            previous, old_hashes = None, {}

        wanted: dict[str, Path] = {}
        for path in files:
            wanted[path.name] = path
        todo: list[Path] = []
        for doc_id, path in wanted.items():
            digest = file_sha256(path)
            if old_hashes.get(doc_id) == digest:
                report.unchanged.append(doc_id)
            else:
                (report.updated if doc_id in old_hashes else report.added).append(doc_id)
                todo.append(path)
        keep_old = set(old_hashes) - set(wanted) if not prune else set()
        report.removed = sorted(set(old_hashes) - set(wanted) - keep_old)
        if not report.changed:
            report.version = previous.directory.name if previous else None
            report.seconds = time.perf_counter() - started
            return report

        parsed: list[ParsedDocument] = []
        for path in tqdm(todo, desc="Đọc tài liệu / parsing", unit="doc", disable=not progress):
            try:
                doc = parse_document(path)
            except DocumentLoadError as exc:
                report.failed[path.name] = str(exc)
                (report.added if path.name in report.added else report.updated).remove(path.name)
                continue
            parsed.append(doc)
            if on_parsed:
                on_parsed(doc)
        if not (report.added or report.updated or report.removed):
            report.seconds = time.perf_counter() - started
            report.version = previous.directory.name if previous else None
            return report

        report.version = self._write_version(previous, parsed, wanted, keep_old, report, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _write_version(
        self,
        previous: IndexData | None,
        parsed: list[ParsedDocument],
        wanted: dict[str, Path],
        keep_old: set[str],
        report: IngestReport,
        progress: bool,
    ) -> str:
        reused_ids = [d for d in report.unchanged] + sorted(keep_old)
        documents: dict[str, DocumentMeta] = {}
        chunks: list[Chunk] = []
        tasks: list[TaskRecord] = []
        targets: list[TargetRecord] = []
        terms: list[list[str]] = []
        lines: dict[str, list[str]] = {}
        vector_parts: list[np.ndarray] = []

        if previous is not None:
            for doc_id in reused_ids:
                rows = previous.rows_by_doc.get(doc_id, [])
                documents[doc_id] = previous.documents[doc_id]
                chunks.extend(previous.chunks[r] for r in rows)
                terms.extend(previous.terms[r] for r in rows)
                tasks.extend(t for t in previous.tasks if t.doc_id == doc_id)
                targets.extend(t for t in previous.targets if t.doc_id == doc_id)
                lines[doc_id] = previous.lines[doc_id]
                vector_parts.append(previous.vectors[rows] if rows else previous.vectors[:0])

        new_texts: list[str] = []
        for doc in parsed:
            documents[doc.meta.doc_id] = doc.meta
            chunks.extend(doc.chunks)
            tasks.extend(doc.tasks)
            targets.extend(doc.targets)
            lines[doc.meta.doc_id] = doc.source_lines
            for chunk in doc.chunks:
                text = passage_text(chunk)
                new_texts.append(text)
                terms.append(analyze(text, self.segmenter))

        dim = self.embedder.dim if self.embedder else 0
        cache = EmbeddingCache(self.root, self.embedder.name, dim) if self.embedder is not None else None
        if cache is not None and new_texts:
            vector_parts.append(self._embed(new_texts, progress, cache))
        elif new_texts:
            vector_parts.append(np.zeros((len(new_texts), dim), dtype=np.float32))
        vectors = np.concatenate(vector_parts) if vector_parts else np.zeros((0, dim), np.float32)

        # Stable order: by document id, then position, so rows are reproducible.
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].doc_id, chunks[i].lines[0]))
        chunks = [chunks[i] for i in order]
        terms = [terms[i] for i in order]
        vectors = vectors[order] if len(order) else vectors
        tasks.sort(key=lambda t: (t.doc_id, t.lines[0]))
        targets.sort(key=lambda t: (t.doc_id, t.lines[0]))

        name = f"v-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        staging = self.root / f".staging-{name}"
        staging.mkdir(parents=True)
        try:
            manifest = {
                **self._fingerprint(),
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "documents": {d: m.sha256 for d, m in sorted(documents.items())},
                "chunks": len(chunks),
                "tasks": len(tasks),
            }
            (staging / "documents.json").write_text(
                json.dumps([m.to_dict() for _, m in sorted(documents.items())], ensure_ascii=False, indent=1),
                "utf-8",
            )
            _write_jsonl(staging / "chunks.jsonl", [c.to_dict() for c in chunks])
            _write_jsonl(staging / "tasks.jsonl", [t.to_dict() for t in tasks])
            _write_jsonl(staging / "targets.jsonl", [t.to_dict() for t in targets])
            _write_jsonl(staging / "terms.jsonl", [{"t": t} for t in terms])
            (staging / "lines").mkdir()
            for doc_id, doc_lines in lines.items():
                (staging / "lines" / f"{_safe_name(doc_id)}.json").write_text(
                    json.dumps(doc_lines, ensure_ascii=False), "utf-8"
                )
            np.save(staging / "vectors.npy", vectors)
            LexicalIndex.build(terms).save(staging)
            if self.embedder is not None:
                DenseIndex.build(vectors).save(staging / "index.faiss")
            # The manifest is written last: a directory without one is never loaded.
            (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
            final = self.root / name
            os.replace(staging, final)
            self._point_to(name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._collect_garbage(keep=name)
        if cache is not None:
            # Remember this version's vectors by passage text: a re-parse re-embeds only what changed.
            cache.save([passage_text(c) for c in chunks], vectors)
        return name

    def _embed(self, texts: list[str], progress: bool, cache: EmbeddingCache) -> np.ndarray:
        assert self.embedder is not None
        vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            cached = cache.get(text)
            if cached is None:
                missing.append(i)
            else:
                vectors[i] = cached
        batch = 32
        with tqdm(total=len(missing), desc="Nhúng văn bản / embedding", unit="đoạn", disable=not progress or not missing) as bar:
            for start in range(0, len(missing), batch):
                rows = missing[start : start + batch]
                vectors[rows] = self.embedder.embed_passages([texts[r] for r in rows])
                bar.update(len(rows))
        return vectors

    def _point_to(self, name: str) -> None:
        pointer_tmp = self.root / f".CURRENT.{uuid.uuid4().hex}"
        pointer_tmp.write_text(name, "utf-8")
        with pointer_tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(pointer_tmp, self.root / "CURRENT")

    def _collect_garbage(self, keep: str) -> None:
        versions = sorted(p for p in self.root.glob("v-*") if p.is_dir() and p.name != keep)
        for old in versions[: max(0, len(versions) - _KEEP_OLD_VERSIONS)]:
            shutil.rmtree(old, ignore_errors=True)
        for stale in self.root.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)


def passage_text(chunk: Chunk) -> str:
    """What is embedded and indexed for a chunk: its section trail, then its text."""
    head = f"{chunk.heading} › " if chunk.heading else ""
    return f"{head}{chunk.section} {chunk.text}".strip()
