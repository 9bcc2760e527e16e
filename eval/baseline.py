"""The peer baseline of DESIGN.md, measured on the same gold set as the project.

* "LangChain + FAISS": ``RecursiveCharacterTextSplitter(1000, 150)`` over each document's
  raw text, multilingual-e5-small vectors in a FAISS inner-product index;
* "BM25 (underthesea)": the same chunks, BM25 over underthesea word tokens, lower-cased
  (no diacritic folding, no structure).

Only retrieval is compared (recall@5, MRR@10): the baselines have no answer logic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter

from eval.gold import GoldItem
from eval.metrics import first_relevant_rank
from index.dense import DenseIndex
from index.lexical import LexicalIndex
from ingest.embed import Embedder
from ingest.segment import WordSegmenter


@dataclass(frozen=True)
class BaselineChunk:
    """A character-split chunk with the source lines it spans."""

    doc: str
    lines: tuple[int, int]
    text: str


def split_corpus(paths: list[Path]) -> list[BaselineChunk]:
    """RecursiveCharacterTextSplitter(1000/150) chunks with line spans."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=150, add_start_index=True)
    chunks: list[BaselineChunk] = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        line_starts = np.cumsum([0] + [len(line) + 1 for line in text.split("\n")])
        for doc in splitter.create_documents([text]):
            start = int(doc.metadata["start_index"])
            end = start + len(doc.page_content)
            first = int(np.searchsorted(line_starts, start, side="right"))
            last = int(np.searchsorted(line_starts, end, side="right"))
            chunks.append(BaselineChunk(path.name, (first, last), doc.page_content))
    return chunks


def _ranks(results: list[list[int]], chunks: list[BaselineChunk], items: list[GoldItem]) -> list[int | None]:
    return [
        first_relevant_rank([(chunks[r].doc, chunks[r].lines) for r in rows], item.evidence)
        for rows, item in zip(results, items, strict=True)
    ]


def baseline_ranks(
    paths: list[Path], items: list[GoldItem], embedder: Embedder | None, segmenter: WordSegmenter
) -> dict[str, list[int | None]]:
    """First relevant rank per item for each baseline."""
    chunks = split_corpus(paths)
    out: dict[str, list[int | None]] = {}
    if embedder is not None:
        vectors = embedder.embed_passages([c.text for c in chunks])
        dense = DenseIndex.build(vectors)
        results = [[r for r, _ in dense.search(embedder.embed_query(i.question), 10)] for i in items]
        out["LangChain splitter + FAISS (e5)"] = _ranks(results, chunks, items)
    tokens = [[w.lower() for w in segmenter.segment(c.text)] for c in chunks]
    lexical = LexicalIndex.build(tokens)
    results = [[r for r, _ in lexical.search([w.lower() for w in segmenter.segment(i.question)], 10)] for i in items]
    out["BM25 over underthesea tokens"] = _ranks(results, chunks, items)
    return out


def summarize(ranks: list[int | None]) -> tuple[float, float]:
    """(recall@5, MRR@10)."""
    if not ranks:
        return 0.0, 0.0
    recall = sum(r is not None and r <= 5 for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None and r <= 10) / len(ranks)
    return recall, mrr
