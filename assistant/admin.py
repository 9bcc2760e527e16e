"""Document administration: upload, delete, reindex. One change at a time; each ends with
a new index version swapped in for the questions that follow, while questions already
being answered finish on the version they started with.

Nothing is served before it is indexed: an upload is staged, indexed from the staging
path, and only then moved into the library. A file that cannot be read changes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant import errors
from assistant.core import Assistant
from assistant.library import DocumentLibrary, check_content, document_name
from assistant.runtime import Runtime
from index.store import IndexError_, IngestReport

log = logging.getLogger(__name__)


def busy() -> errors.UserError:
    """Another change is being indexed."""
    return errors.UserError(
        "reindex_in_progress",
        "Đang cập nhật chỉ mục, vui lòng thử lại sau",
        "the index is being updated, try again later",
        409,
    )


def _report(report: IngestReport) -> dict[str, Any]:
    body = asdict(report)
    body["seconds"] = round(report.seconds, 2)
    return body


class IndexAdmin:
    """Changes to the served documents, serialised by one lock."""

    def __init__(
        self,
        runtime: Runtime,
        library: DocumentLibrary,
        current: Callable[[], Assistant | None],
        swap: Callable[[Assistant], None],
    ) -> None:
        self.runtime = runtime
        self.library = library
        self.current = current
        self.swap = swap
        self._lock = threading.Lock()

    def upload(self, filename: str | None, content: bytes) -> dict[str, Any]:
        """Add or replace a document; 201 body with the ingest report."""
        name = document_name(filename)
        check_content(name, content)
        with self._exclusive():
            staged = self.library.stage(name, content)
            try:
                report = self._ingest(self.library.paths(replacing={name: staged}))
                if name in report.failed:
                    raise errors.UserError(
                        "unreadable_document",
                        f"Không đọc được tài liệu: {report.failed[name]}",
                        f"the document could not be read: {report.failed[name]}",
                        422,
                    )
                self.library.commit(staged)
            finally:
                self.library.discard(staged)
            self._serve_new_version()
        log.info("document uploaded", extra={"doc": name, "bytes": len(content)})
        return {"document": name, "report": _report(report)}

    def delete(self, doc_id: str) -> dict[str, Any]:
        """Stop serving a document; 404 when it is not served."""
        with self._exclusive():
            if doc_id not in self.library.files():
                raise errors.unknown_document(doc_id)
            # Out of the library first: a crash from here on completes the deletion at the
            # next start (the staging area is cleared, the index pruned), never undoes it.
            undo = self.library.remove(doc_id)
            try:
                report = self._ingest(self.library.paths())
            except BaseException:
                undo()
                raise
            self.library.clear_staging()
            self._serve_new_version()
        log.info("document deleted", extra={"doc": doc_id})
        return {"document": doc_id, "report": _report(report)}

    def reindex(self, *, full: bool = False) -> dict[str, Any]:
        """Bring the index up to date with the library; ``full`` re-reads every document."""
        with self._exclusive():
            report = self._ingest(self.library.paths(), full=full)
            self._serve_new_version()
        return {"report": _report(report)}

    def follow_current(self) -> bool:
        """Serve the version ``CURRENT`` names when another process (``assistant ingest``,
        another node on a shared volume) wrote a newer one; True when it swapped."""
        if not self._lock.acquire(blocking=False):
            return False  # a change of our own is running and will swap when done
        try:
            # Before the first index is served there is nothing to follow from.
            return self.current() is not None and self._serve_new_version()
        except IndexError_ as exc:
            log.warning("index %s not served: %s", self.runtime.store.current_dir(), exc)
            return False
        finally:
            self._lock.release()

    def _ingest(self, paths: list[Path], *, full: bool = False) -> IngestReport:
        return self.runtime.store.ingest(paths, progress=False, prune=True, full=full)

    def _serve_new_version(self) -> bool:
        """Swap in the version ``CURRENT`` names if it is not the one served; True if swapped."""
        current, named = self.current(), self.runtime.store.current_dir()
        if named is None or (current is not None and current.data.directory == named):
            return False
        self.swap(self.runtime.reload(current))
        return True

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the one change lock, or refuse at once with 409."""
        if not self._lock.acquire(blocking=False):
            raise busy()
        try:
            yield
        finally:
            self._lock.release()
