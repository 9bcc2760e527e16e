"""OCR of scanned PDF pages: pdfium renders the page, Tesseract (Debian's ``tesseract-ocr``
with ``tesseract-ocr-vie``) reads it.

A page is OCR'd only when it has no text layer. Tesseract runs as a program (one process
per page), so a crash or a hang in it cannot take the service down with it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

_DPI = 300  # Tesseract reads best at 300 dpi; lower loses Vietnamese tone marks
_PAGE_TIMEOUT = 120.0  # seconds for one page


class OcrUnavailable(RuntimeError):
    """Tesseract or its Vietnamese data is not installed."""


def tesseract_languages() -> set[str]:
    """Languages the installed Tesseract can read (empty when it is not installed)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return set()
    listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return {line.strip() for line in listed.stdout.splitlines()[1:] if line.strip()}


def ocr_available() -> bool:
    """True when scanned PDFs can be read."""
    return "vie" in tesseract_languages()


def ocr_pdf_page(path: Path, page_index: int) -> str:
    """The text of one page (0-based) of a PDF, read by Tesseract in Vietnamese."""
    import pypdfium2

    binary = shutil.which("tesseract")
    if binary is None or not ocr_available():
        raise OcrUnavailable(
            "PDF quét cần Tesseract tiếng Việt (apt-get install tesseract-ocr tesseract-ocr-vie) / "
            "scanned PDFs need Tesseract with Vietnamese (apt-get install tesseract-ocr tesseract-ocr-vie)"
        )
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        image = pdf[page_index].render(scale=_DPI / 72).to_pil()
    finally:
        pdf.close()
    png = io.BytesIO()
    image.save(png, format="PNG")
    # --psm 4: one column of text of variable sizes, which is what a plan's page is.
    result = subprocess.run(
        [binary, "stdin", "stdout", "-l", "vie", "--psm", "4"],
        input=png.getvalue(),
        capture_output=True,
        timeout=_PAGE_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise OcrUnavailable(f"tesseract: {result.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return result.stdout.decode("utf-8", "replace")
