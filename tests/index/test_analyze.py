"""Lexical analysis of queries and passages."""

from __future__ import annotations

from index.analyze import analyze
from ingest.segment import UndertheseaSegmenter


def test_query_skips_bigrams_of_function_words() -> None:
    passage = analyze("Chủ đề là gì vậy")
    query = analyze("Chủ đề là gì vậy", query=True)
    assert "s:l_g" in passage  # passages keep every bigram …
    assert "s:l_g" not in query and "s:g_v" not in query  # … a question's filler does not count
    assert "vay" not in query  # a casual question's final particle is not content
    assert "chu" in query


def test_query_keeps_the_pairs_inside_a_glued_word() -> None:
    segmenter = UndertheseaSegmenter()
    terms = analyze("những nhiệm vụ trong mục Hạ tầng số", segmenter, query=True)
    glued = [t for t in terms if t.startswith("w:") and t.count("_") >= 2]
    if glued:  # the segmenter glued "mục Hạ tầng": its pairs are searchable too
        assert "w:ha_tang" in terms
    assert "w:nhiem_vu" in terms
