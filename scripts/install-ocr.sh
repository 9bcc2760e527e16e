#!/usr/bin/env bash
# Debian's Tesseract with its Vietnamese data reads scanned PDFs (pages without a text
# layer). Without it the assistant still runs; only scanned PDFs are refused, so a failure
# here does not stop the install.
set -euo pipefail
cd "$(dirname "$0")"
if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; then
    exit 0
fi
# apt-install.sh skips a package whose command exists: the language data has none, so it is
# asked for under a name no command has.
{ ./apt-install.sh tesseract tesseract-ocr "OCR tài liệu quét / OCR of scanned documents" \
    && ./apt-install.sh tesseract-ocr-vie.missing tesseract-ocr-vie "OCR tiếng Việt / Vietnamese OCR"; } \
    || echo "Không cài được Tesseract / could not install Tesseract: scanned PDFs will be refused" >&2
