"""Read plan documents (.txt, .md, .pdf, .docx) into numbered source lines; scanned PDF
pages go through OCR (``ingest/ocr.py``).

Line numbers are 1-based and count the lines of the file as stored, so a citation's
``lines`` can be checked with ``sed -n 'A,Bp' FILE``. PDFs and DOCX files have no stored
lines: their extracted text is numbered in reading order and PDF lines keep their page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")


class DocumentLoadError(ValueError):
    """A file that cannot be read as a plan document (unsupported, corrupt or empty)."""


@dataclass(frozen=True)
class SourceLine:
    """One line of a source document."""

    no: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class RawDocument:
    """A loaded file: its id (the file name), content hash and numbered lines."""

    doc_id: str
    path: Path
    sha256: str
    lines: list[SourceLine]


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _decode_text(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentLoadError(f"{path.name}: không đọc được mã UTF-8 / not UTF-8 text")


def _text_lines(path: Path) -> list[SourceLine]:
    text = _decode_text(path.read_bytes(), path)
    # splitlines() would also split on \x0c and other separators that `sed` does not count.
    return [SourceLine(i, line.rstrip("\r")) for i, line in enumerate(text.split("\n"), start=1)]


def _pdf_lines(path: Path) -> list[SourceLine]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise DocumentLoadError("pypdf chưa được cài / install pypdf to read PDFs") from exc
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise DocumentLoadError(f"{path.name}: tệp PDF hỏng / corrupt PDF ({exc})") from exc
    if pages and not all(p.strip() for p in pages):
        pages = _ocr_blank_pages(path, pages)
    lines: list[SourceLine] = []
    for page_no, page_text in enumerate(pages, start=1):
        for line in page_text.split("\n"):
            lines.append(SourceLine(len(lines) + 1, line, page_no))
    return lines


def _ocr_blank_pages(path: Path, pages: list[str]) -> list[str]:
    """Pages without a text layer (scans) read by OCR; without Tesseract, a scan that has no
    text at all is refused and blank pages of a text PDF stay blank."""
    from ingest.ocr import OcrUnavailable, ocr_pdf_page

    read = list(pages)
    for index, text in enumerate(pages):
        if text.strip():
            continue
        try:
            read[index] = ocr_pdf_page(path, index)
        except OcrUnavailable as exc:
            if any(p.strip() for p in pages):
                return pages
            raise DocumentLoadError(
                f"{path.name}: PDF không có lớp văn bản (bản quét) / scanned PDF without a text layer: {exc}"
            ) from exc
        except Exception as exc:  # noqa: BLE001 - pdfium raises its own types for broken pages
            raise DocumentLoadError(f"{path.name}: không OCR được trang {index + 1} / OCR failed on page {index + 1} ({exc})") from exc
    return read


def _docx_lines(path: Path) -> list[SourceLine]:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise DocumentLoadError("python-docx chưa được cài / install python-docx") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for bad zips
        raise DocumentLoadError(f"{path.name}: tệp DOCX hỏng / corrupt DOCX ({exc})") from exc
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.append(" | ".join(cell.text.strip() for cell in row.cells))
    lines: list[SourceLine] = []
    for block in texts:
        for line in block.split("\n"):
            lines.append(SourceLine(len(lines) + 1, line))
    return lines


def load_document(path: Path) -> RawDocument:
    """Load one document; raise :class:`DocumentLoadError` for unusable files."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentLoadError(
            f"{path.name}: định dạng không hỗ trợ / unsupported format "
            f"(supported: {', '.join(SUPPORTED_SUFFIXES)})"
        )
    if not path.is_file():
        raise DocumentLoadError(f"{path}: không tìm thấy tệp / file not found")
    if suffix == ".pdf":
        lines = _pdf_lines(path)
    elif suffix == ".docx":
        lines = _docx_lines(path)
    else:
        lines = _text_lines(path)
    if not any(line.text.strip() for line in lines):
        raise DocumentLoadError(f"{path.name}: tệp rỗng / empty document")
    return RawDocument(doc_id=path.name, path=path, sha256=file_sha256(path), lines=lines)


def discover_documents(paths: list[Path]) -> list[Path]:
    """Expand files and directories into the supported document files, sorted by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            found.append(path)
    return sorted(set(found), key=lambda p: p.name)
