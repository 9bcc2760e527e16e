"""The documents the assistant serves: the shipped corpus directory, plus documents that
administrators uploaded (``$DATA/documents/``), minus the ones they deleted.

The corpus directory is never written to (in a container it is part of the image); a
deleted corpus document is remembered in ``$DATA/documents/.deleted.json``. An upload with
a corpus document's name replaces it. Every write goes to a temporary file first and is
renamed into place, so a crash never leaves half a file under a document's name.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path

from assistant import errors
from ingest.loaders import SUPPORTED_SUFFIXES, discover_documents

# A document id is its file name: letters (Vietnamese too), digits, '.', '_', '-'.
_NAME = re.compile(r"^[^\W_][\w.-]{0,118}$")
_MAX_NAME = 120
_TOMBSTONES = ".deleted.json"
_STAGING = ".staging"
# What a file of each kind starts with; text files are checked by decoding instead.
_MAGIC = {".pdf": (b"%PDF-",), ".docx": (b"PK\x03\x04",)}


def document_name(raw: str | None) -> str:
    """A safe document id from an uploaded file name, or a 400.

    Spaces become '_' (file names such as "Kế hoạch 93.pdf" are common); anything that could
    leave the documents directory or hide a file ('/', '\\', '..', a leading dot, control
    characters) is refused, as is an unsupported extension.
    """
    name = unicodedata.normalize("NFC", (raw or "").strip()).replace(" ", "_")
    if not name:
        raise errors.UserError("bad_file_name", "Thiếu tên tệp", "the file has no name")
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise errors.UserError(
            "unsupported_type",
            f"Định dạng không hỗ trợ (chỉ nhận {', '.join(SUPPORTED_SUFFIXES)})",
            f"unsupported file type (accepted: {', '.join(SUPPORTED_SUFFIXES)})",
            415,
        )
    if len(name) > _MAX_NAME or ".." in name or not _NAME.fullmatch(name):
        raise errors.UserError(
            "bad_file_name",
            "Tên tệp không hợp lệ: chỉ dùng chữ, số, '.', '_' và '-'",
            "invalid file name: use letters, digits, '.', '_' and '-' only",
        )
    return name


def check_content(name: str, content: bytes) -> None:
    """Refuse an empty file or one whose bytes do not match its extension (400)."""
    if not content.strip():
        raise errors.UserError("empty_file", "Tệp rỗng", "the file is empty")
    suffix = Path(name).suffix.lower()
    magic = _MAGIC.get(suffix)
    if magic and not content.startswith(magic):
        raise errors.UserError(
            "corrupt_file",
            f"Nội dung không phải tệp {suffix} hợp lệ",
            f"the content is not a valid {suffix} file",
        )
    if magic is None:
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            if not content.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise errors.UserError("corrupt_file", "Tệp văn bản phải mã hóa UTF-8", "text files must be UTF-8") from None


class DocumentLibrary:
    """The served documents: corpus files and uploads, minus deletions."""

    def __init__(self, corpus_dir: Path, uploads_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self.uploads_dir = uploads_dir

    # ----- reading ------------------------------------------------------------------------
    def files(self) -> dict[str, Path]:
        """Document id → file, uploads shadowing corpus files of the same name."""
        deleted = self._deleted()
        found: dict[str, Path] = {}
        if self.corpus_dir.is_dir():
            found.update((p.name, p) for p in discover_documents([self.corpus_dir]) if p.name not in deleted)
        if self.uploads_dir.is_dir():
            found.update((p.name, p) for p in discover_documents([self.uploads_dir]) if not p.name.startswith("."))
        return dict(sorted(found.items()))

    def paths(self, *, replacing: dict[str, Path] | None = None) -> list[Path]:
        """The files to index, as they would be after an upload (``replacing``)."""
        return list({**self.files(), **(replacing or {})}.values())

    # ----- writing ------------------------------------------------------------------------
    def stage(self, name: str, content: bytes) -> Path:
        """Write an upload beside the library, under its final name, not yet served."""
        path = self._staging_folder() / name
        with path.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        return path

    def commit(self, staged: Path) -> Path:
        """Move a staged upload into the library (atomically replacing an older one)."""
        final = self.uploads_dir / staged.name
        os.replace(staged, final)
        self.discard(staged)
        self._write_deleted(self._deleted() - {staged.name})
        return final

    def discard(self, staged: Path) -> None:
        """Forget a staged upload."""
        staged.unlink(missing_ok=True)
        try:
            staged.parent.rmdir()
        except OSError:
            pass

    def remove(self, doc_id: str) -> Callable[[], None]:
        """Stop serving a document: its upload moves to the staging area (cleared at the next
        start), a corpus file is tombstoned. Returns what puts it back if indexing fails."""
        deleted_before = self._deleted()
        upload = self.uploads_dir / doc_id
        parked: Path | None = None
        if upload.is_file():
            parked = self._staging_folder() / doc_id
            os.replace(upload, parked)
        if (self.corpus_dir / doc_id).is_file():
            self._write_deleted(deleted_before | {doc_id})

        def undo() -> None:
            if parked is not None:
                os.replace(parked, upload)
                self.discard(parked)
            self._write_deleted(deleted_before)

        return undo

    def clear_staging(self) -> None:
        """Remove uploads a crash left staged (at start)."""
        staging = self.uploads_dir / _STAGING
        if staging.is_dir():
            for folder in staging.iterdir():
                for leftover in folder.iterdir() if folder.is_dir() else []:
                    leftover.unlink(missing_ok=True)
                try:
                    folder.rmdir()
                except OSError:
                    pass

    def _staging_folder(self) -> Path:
        """A new folder in the staging area, where a file keeps its name but is not served."""
        folder = self.uploads_dir / _STAGING / uuid.uuid4().hex
        folder.mkdir(parents=True)
        return folder

    def _deleted(self) -> set[str]:
        path = self.uploads_dir / _TOMBSTONES
        try:
            return set(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError):
            return set()

    def _write_deleted(self, names: set[str]) -> None:
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.uploads_dir / f".deleted.{uuid.uuid4().hex}.tmp"
        tmp.write_text(json.dumps(sorted(names), ensure_ascii=False), "utf-8")
        os.replace(tmp, self.uploads_dir / _TOMBSTONES)
