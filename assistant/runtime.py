"""Build the parts the assistant runs on from the settings: models, index store, core.

Nothing here is global: callers (the CLI, the FastAPI lifespan, tests) own what they build.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.core import Assistant
from assistant.generation import Generator, build_generator
from assistant.library import DocumentLibrary
from assistant.sessions import SessionStore
from index.search import HybridSearcher
from index.store import IndexData, IndexError_, IndexStore, IngestReport
from ingest.embed import Embedder, HashEmbedder, SentenceTransformerEmbedder
from ingest.segment import UndertheseaSegmenter, WhitespaceSegmenter, WordSegmenter

log = logging.getLogger(__name__)


def build_embedder(settings: Settings, *, progress: bool = True) -> Embedder | None:
    """The dense embedder the settings ask for; ``None`` (lexical only) if it cannot load."""
    if settings.embedding == "none":
        return None
    if settings.embedding == "hash":
        return HashEmbedder()
    try:
        path = settings.embedding_model
        if path is None:
            from ingest.model_assets import ensure_e5_model

            path = ensure_e5_model(settings.models_dir, progress=progress)
        return SentenceTransformerEmbedder(Path(path), threads=settings.threads)
    except Exception as exc:  # noqa: BLE001 - any model failure degrades to lexical search
        log.warning("embedding model unavailable, using lexical search only: %s", exc)
        return None


def build_segmenter(settings: Settings) -> WordSegmenter:
    """Word segmenter for the lexical index."""
    return WhitespaceSegmenter() if settings.segmenter == "whitespace" else UndertheseaSegmenter()


@dataclass
class Runtime:
    """A store with its models; opens the index and makes the core."""

    settings: Settings
    store: IndexStore
    embedder: Embedder | None
    segmenter: WordSegmenter
    generator: Generator | None = None

    @property
    def library(self) -> DocumentLibrary:
        """The documents served: the corpus directory plus uploads, minus deletions."""
        return DocumentLibrary(self.settings.corpus_dir, self.settings.uploads_dir)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        progress: bool = True,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
    ) -> Runtime:
        """Load models as configured (``embedder`` and ``generator`` override, for tests).
        The embedded LLM loads on first use, or at :meth:`warm_up`."""
        embedder = embedder if embedder is not None else build_embedder(settings, progress=progress)
        segmenter = build_segmenter(settings)
        store = IndexStore(settings.index_dir, embedder=embedder, segmenter=segmenter)
        generator = generator if generator is not None else build_generator(settings)
        return cls(settings, store, embedder, segmenter, generator)

    def warm_up(self) -> None:
        """Load the LLM and cache its fixed prompt prefix, so the first question is not slower."""
        if self.generator is not None:
            self.generator.warm_up()

    def ingest(self, paths: list[Path] | None = None, *, progress: bool = True, prune: bool = True) -> IngestReport:
        """Bring the index up to date with ``paths`` (default: the library's documents)."""
        if not paths and not self.settings.corpus_dir.is_dir():
            # A mistyped ASSISTANT_CORPUS_DIR must not empty the index.
            raise IndexError_(
                f"Không tìm thấy thư mục tài liệu {self.settings.corpus_dir} (ASSISTANT_CORPUS_DIR) / "
                f"corpus directory {self.settings.corpus_dir} not found (ASSISTANT_CORPUS_DIR)"
            )
        return self.store.ingest(paths or self.library.paths(), progress=progress, prune=prune)

    def open(self, *, build_if_missing: bool = True, progress: bool = True) -> Assistant:
        """The core over the current index, building it first when needed."""
        if build_if_missing:
            report = self.ingest(progress=progress)
            if report.failed:
                for doc_id, reason in report.failed.items():
                    log.warning("could not ingest %s: %s", doc_id, reason)
        sessions = SessionStore(
            self.settings.sessions_path,
            self.settings.session_ttl_hours * 3600,
            self.settings.session_max_turns,
            url=self.settings.database,
        )
        return self._core(sessions)

    def reload(self, current: Assistant | None) -> Assistant:
        """A core over the index version now current, keeping ``current``'s conversations."""
        if current is None or current.sessions is None:
            return self.open(build_if_missing=False, progress=False)
        return self._core(current.sessions)

    def _core(self, sessions: SessionStore) -> Assistant:
        data: IndexData = self.store.load()
        searcher = HybridSearcher(data, embedder=self.embedder, segmenter=self.segmenter)
        return Assistant(data, searcher, sessions, self.generator)
