"""The on-disk index: round trip, incremental update, atomic swap, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index.search import HybridSearcher
from index.store import IndexError_, IndexStore
from ingest.embed import HashEmbedder
from ingest.segment import WhitespaceSegmenter

from tests.conftest import CORPUS, PLAN_2024, PARTY_NQ57


def _store(root: Path, dim: int = 64) -> IndexStore:
    return IndexStore(root, embedder=HashEmbedder(dim), segmenter=WhitespaceSegmenter())


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in (PLAN_2024, PARTY_NQ57):
        shutil.copy(CORPUS / name, folder / name)
    return folder


def test_round_trip(tmp_path: Path, corpus: Path) -> None:
    store = _store(tmp_path / "index")
    report = store.ingest([corpus], progress=False)
    assert sorted(report.added) == sorted([PLAN_2024, PARTY_NQ57])
    data = store.load()
    assert set(data.documents) == {PLAN_2024, PARTY_NQ57}
    assert len(data.chunks) == data.vectors.shape[0] == data.dense.size  # type: ignore[union-attr]
    assert data.documents[PLAN_2024].number == "93/KH-UBND"
    assert len([t for t in data.tasks if t.doc_id == PLAN_2024 and t.section.startswith("III.")]) == 63
    # Reloaded search finds a task by its own words.
    hits = HybridSearcher(data, embedder=store.embedder, segmenter=store.segmenter).search(
        "Festival chuyển đổi số trong thanh thiếu niên", 3
    )
    assert hits[0].chunk.doc_id == PLAN_2024
    assert "Festival" in hits[0].chunk.text


def test_unchanged_corpus_does_no_work(tmp_path: Path, corpus: Path) -> None:
    store = _store(tmp_path / "index")
    first = store.ingest([corpus], progress=False)
    second = store.ingest([corpus], progress=False)
    assert not second.changed
    assert sorted(second.unchanged) == sorted([PLAN_2024, PARTY_NQ57])
    assert second.version == first.version


def test_changed_document_is_reindexed_alone(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path / "index")
    store.ingest([corpus], progress=False)
    before = store.load()
    party_rows = before.rows_by_doc[PARTY_NQ57]
    party_vectors = before.vectors[party_rows].copy()

    edited = corpus / PLAN_2024
    edited.write_text(edited.read_text(encoding="utf-8") + "\nPhụ lục bổ sung: kiểm thử cập nhật.\n", encoding="utf-8")
    parsed: list[str] = []
    report = store.ingest([corpus], progress=False, on_parsed=lambda doc: parsed.append(doc.meta.doc_id))
    assert report.updated == [PLAN_2024] and report.unchanged == [PARTY_NQ57]
    assert parsed == [PLAN_2024]  # the unchanged document was not parsed again
    after = store.load()
    assert after.directory != before.directory
    assert (after.vectors[after.rows_by_doc[PARTY_NQ57]] == party_vectors).all()
    assert any("kiểm thử cập nhật" in c.text for c in after.chunks)


def test_removed_document_leaves_the_index(tmp_path: Path, corpus: Path) -> None:
    store = _store(tmp_path / "index")
    store.ingest([corpus], progress=False)
    (corpus / PARTY_NQ57).unlink()
    report = store.ingest([corpus], progress=False)
    assert report.removed == [PARTY_NQ57]
    assert set(store.load().documents) == {PLAN_2024}


def test_bad_file_is_reported_and_index_kept(tmp_path: Path, corpus: Path) -> None:
    store = _store(tmp_path / "index")
    store.ingest([corpus], progress=False)
    version = store.current_dir()
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    report = store.ingest([corpus], progress=False)
    assert "broken.pdf" in report.failed
    assert store.current_dir() == version
    assert set(store.load().documents) == {PLAN_2024, PARTY_NQ57}


def test_index_built_with_another_model_is_refused(tmp_path: Path, corpus: Path) -> None:
    _store(tmp_path / "index", dim=64).ingest([corpus], progress=False)
    with pytest.raises(IndexError_):
        _store(tmp_path / "index", dim=32).load()
    # Ingesting with the new model rebuilds instead of mixing vectors.
    report = _store(tmp_path / "index", dim=32).ingest([corpus], progress=False)
    assert sorted(report.added) == sorted([PLAN_2024, PARTY_NQ57])
    assert _store(tmp_path / "index", dim=32).load().vectors.shape[1] == 32


def test_crash_while_writing_keeps_the_previous_version(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path / "index")
    store.ingest([corpus], progress=False)
    version = store.current_dir()
    (corpus / PLAN_2024).write_text("Kế hoạch mới\n1. Nội dung\n", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("index.store.LexicalIndex.save", boom)
    with pytest.raises(OSError):
        store.ingest([corpus], progress=False)
    assert store.current_dir() == version
    assert not list((tmp_path / "index").glob(".staging-*"))
    assert store.load().documents[PLAN_2024].number == "93/KH-UBND"


def test_missing_index_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="ingest"):
        _store(tmp_path / "nothing").load()


def test_new_parser_version_reuses_cached_vectors(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path / "index")
    store.ingest([corpus], progress=False)
    before = store.load()
    monkeypatch.setattr("index.store.PARSER_VERSION", "test-next")
    embedded: list[int] = []
    original = store.embedder.embed_passages  # type: ignore[union-attr]
    monkeypatch.setattr(store.embedder, "embed_passages", lambda texts, **kw: embedded.append(len(texts)) or original(texts))
    report = store.ingest([corpus], progress=False)
    assert sorted(report.added) == sorted([PLAN_2024, PARTY_NQ57])  # everything re-parsed …
    assert sum(embedded) == 0  # … but no passage re-embedded: the texts did not change
    after = store.load()
    assert np.allclose(after.vectors, before.vectors)


def test_damaged_cache_is_ignored(tmp_path: Path, corpus: Path) -> None:
    store = _store(tmp_path / "index")
    store.ingest([corpus], progress=False)
    for cache in (tmp_path / "index").glob("embeddings-*.npz"):
        cache.write_bytes(b"not a numpy file")
    (corpus / PLAN_2024).write_text((corpus / PLAN_2024).read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    report = store.ingest([corpus], progress=False)
    assert report.updated == [PLAN_2024]
    assert store.load().vectors.shape[0] == len(store.load().chunks)
