"""Crash safety with real processes: an `assistant ingest` killed with SIGKILL at different
moments leaves the previous index serving; a corrupt or missing index is detected at start
with a clear message and rebuilt."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.runtime import Runtime
from index.store import IndexError_
from ingest.embed import HashEmbedder
from tests.conftest import CORPUS, PLAN_2024, PLAN_2026, corpus_settings

ROOT = Path(__file__).resolve().parents[2]


def _env(data_dir: Path, corpus: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(data_dir),
        ASSISTANT_CORPUS_DIR=str(corpus),
        ASSISTANT_EMBEDDING="hash",
        ASSISTANT_LLM="none",
    )
    return env


def _ingest(data_dir: Path, corpus: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest"],
        cwd=ROOT,
        env=_env(data_dir, corpus),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _ask(data_dir: Path, corpus: Path, question: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "--json", question],
        cwd=ROOT,
        env=_env(data_dir, corpus),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


def _current(data_dir: Path) -> str:
    return (data_dir / "index" / "CURRENT").read_text("utf-8").strip()


@pytest.fixture()
def served(tmp_path: Path) -> tuple[Path, Path]:
    """A data directory whose index serves one plan (2024), built by a real process."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / PLAN_2024, corpus)
    data_dir = tmp_path / "var"
    process = _ingest(data_dir, corpus)
    assert process.wait(timeout=300) == 0, process.stderr.read().decode()[-2000:] if process.stderr else ""
    return data_dir, corpus


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("moment", ["parsing", "writing"])
def test_killing_an_ingest_leaves_the_previous_index_serving(served: tuple[Path, Path], moment: str) -> None:
    data_dir, corpus = served
    before = _current(data_dir)
    for name in sorted(p.name for p in CORPUS.iterdir()):
        shutil.copy(CORPUS / name, corpus)  # four more plans: minutes of parsing to interrupt

    process = _ingest(data_dir, corpus)
    index = data_dir / "index"
    try:
        if moment == "parsing":
            time.sleep(2.0)  # started, still reading the 2026 plan
        else:
            # The new version's files are being written beside the old one.
            assert _wait_for(lambda: any(index.glob(".staging-*")), timeout=240), "no staging directory seen"
        assert process.poll() is None, "the ingest ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    # The previous version is still the one named, it loads, and it answers.
    assert _current(data_dir) == before
    store = Runtime.from_settings(corpus_settings(data_dir, corpus_dir=corpus), embedder=HashEmbedder()).store
    assert set(store.load().documents) == {PLAN_2024}
    body = _ask(data_dir, corpus, "Ai chủ trì nhiệm vụ 2a kế hoạch 2024?")
    assert body["citations"][0]["doc"] == PLAN_2024

    # The next ingest finishes the job and clears what the killed one left behind.
    process = _ingest(data_dir, corpus)
    assert process.wait(timeout=600) == 0
    assert _current(data_dir) != before and not list(index.glob(".staging-*"))
    assert _ask(data_dir, corpus, "Ai chủ trì nhiệm vụ 5b kế hoạch 2026?")["citations"][0]["doc"] == PLAN_2026


@pytest.mark.parametrize("damage", ["truncated_chunks", "missing_vectors", "garbage_manifest", "dangling_pointer"])
def test_a_corrupt_index_is_detected_and_rebuilt_at_start(served: tuple[Path, Path], damage: str) -> None:
    data_dir, corpus = served
    version = data_dir / "index" / _current(data_dir)
    if damage == "truncated_chunks":
        chunks = version / "chunks.jsonl"
        chunks.write_bytes(chunks.read_bytes()[: chunks.stat().st_size // 2])
    elif damage == "missing_vectors":
        (version / "vectors.npy").unlink()
    elif damage == "garbage_manifest":
        (version / "manifest.json").write_bytes(b"\x00\x17not json")
    else:
        shutil.rmtree(version)

    store = Runtime.from_settings(corpus_settings(data_dir, corpus_dir=corpus), embedder=HashEmbedder()).store
    if damage != "dangling_pointer":
        with pytest.raises(IndexError_, match="corrupt index|inconsistent index|Chỉ mục hỏng"):
            store.load()

    # A real start (the CLI) says what it found and rebuilds, then answers.
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "--json", "Ai chủ trì nhiệm vụ 2a kế hoạch 2024?"],
        cwd=ROOT,
        env=_env(data_dir, corpus),
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    if damage != "dangling_pointer":
        assert "rebuilding index from scratch" in done.stderr.decode()
    assert json.loads(done.stdout)["citations"][0]["doc"] == PLAN_2024
    assert set(store.load().documents) == {PLAN_2024}
