"""Run the gold set against a loaded assistant and report retrieval, answers and latency."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core import Assistant
from eval.gold import GoldItem, load_gold
from eval.metrics import answer_correct, first_relevant_rank, overlaps, percentile
from ingest.text import strip_diacritics

TASK_KINDS = {"task_lead", "task_deadline", "task_lead_deadline"}


@dataclass
class ItemResult:
    """What happened on one gold item."""

    item: GoldItem
    correct: bool
    cited: bool
    refused: bool
    mode: str
    rank: int | None
    unscoped_rank: int | None
    folded_rank: int | None
    ask_ms: float
    answer: str
    generation: str = "off"
    first_token_ms: float | None = None


@dataclass
class Report:
    """Aggregated metrics."""

    results: list[ItemResult] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)

    def _share(self, values: list[bool]) -> float:
        return sum(values) / len(values) if values else 0.0

    def summary(self) -> dict[str, Any]:
        """Every figure the CLI prints."""
        answerable = [r for r in self.results if r.item.answerable]
        ranked = [r for r in answerable if r.item.evidence]
        by_mode: dict[str, list[float]] = defaultdict(list)
        for r in self.results:
            by_mode["structured" if r.mode == "structured" else "other"].append(r.ask_ms)
        groups: dict[str, dict[str, float]] = {}
        for attr in ("kind", "style"):
            buckets: dict[str, list[bool]] = defaultdict(list)
            for r in self.results:
                buckets[getattr(r.item, attr)].append(r.correct)
            groups[attr] = {k: round(self._share(v), 3) for k, v in sorted(buckets.items())}
        tasks = [r.correct for r in self.results if r.item.kind in TASK_KINDS]
        first_token = [r.first_token_ms for r in self.results if r.first_token_ms is not None]
        generated = [r.ask_ms for r in self.results if r.mode == "generated"]
        return {
            "items": len(self.results),
            "answer_accuracy": round(self._share([r.correct for r in self.results]), 3),
            "citation_hit": round(self._share([r.cited for r in answerable]), 3),
            "task_accuracy": round(self._share(tasks), 3),
            "task_items": len(tasks),
            "refusal_precision": round(
                self._share([not r.item.answerable for r in self.results if r.refused]), 3
            ),
            "recall@5": round(self._share([r.rank is not None and r.rank <= 5 for r in ranked]), 3),
            "mrr@10": round(sum(1 / r.rank for r in ranked if r.rank and r.rank <= 10) / max(len(ranked), 1), 3),
            "recall@5_without_diacritics": round(
                self._share([r.folded_rank is not None and r.folded_rank <= 5 for r in ranked]), 3
            ),
            "unanswerable_refused": round(self._share([r.refused for r in self.results if not r.item.answerable]), 3),
            "answerable_refused": round(self._share([r.refused for r in answerable]), 3),
            "recall@5_all_documents": round(
                self._share([r.unscoped_rank is not None and r.unscoped_rank <= 5 for r in ranked]), 3
            ),
            "search_ms_p50": round(percentile(self.search_ms, 50), 1),
            "search_ms_p95": round(percentile(self.search_ms, 95), 1),
            "structured_ms_p50": round(percentile(by_mode["structured"], 50), 1),
            "structured_ms_p95": round(percentile(by_mode["structured"], 95), 1),
            "answer_ms_p50": round(percentile([r.ask_ms for r in self.results], 50), 1),
            "answer_ms_p95": round(percentile([r.ask_ms for r in self.results], 95), 1),
            "generation": dict(sorted(Counter(r.generation for r in self.results).items())),
            "first_token_ms_p50": round(percentile(first_token, 50), 1),
            "first_token_ms_p95": round(percentile(first_token, 95), 1),
            "generated_ms_p50": round(percentile(generated, 50), 1),
            "generated_ms_p95": round(percentile(generated, 95), 1),
            "by_kind": groups["kind"],
            "by_style": groups["style"],
        }


def evaluate(assistant: Assistant, gold_path: Path, *, repeats: int = 3) -> Report:
    """Ask every gold question; search timings are the median of ``repeats`` runs."""
    report = Report()
    items = load_gold(gold_path)
    assistant.search("khởi động / warm-up", 10)
    assistant.ask("warm-up")
    for item in items:
        timings = []
        hits = []
        for _ in range(repeats):
            started = time.perf_counter()
            # What /api/search does: a query that names a plan searches that plan.
            hits = assistant.find(item.question, 10)
            timings.append((time.perf_counter() - started) * 1000)
        report.search_ms.append(sorted(timings)[len(timings) // 2])
        unscoped = assistant.search(item.question, 10)
        # The same question typed without diacritics must find the same evidence.
        folded_hits = assistant.find(strip_diacritics(item.question), 10)
        started = time.perf_counter()
        answer = assistant.ask(item.question)
        ask_ms = (time.perf_counter() - started) * 1000
        cited = any(overlaps(c["doc"], tuple(c["lines"]), item.evidence) for c in answer.citations)
        report.results.append(
            ItemResult(
                item=item,
                correct=answer_correct(item, answer.answer, answer.refused),
                cited=cited,
                refused=answer.refused,
                mode=answer.mode,
                rank=first_relevant_rank([(h.chunk.doc_id, h.chunk.lines) for h in hits], item.evidence),
                unscoped_rank=first_relevant_rank([(h.chunk.doc_id, h.chunk.lines) for h in unscoped], item.evidence),
                folded_rank=first_relevant_rank([(h.chunk.doc_id, h.chunk.lines) for h in folded_hits], item.evidence),
                ask_ms=ask_ms,
                answer=answer.answer,
                generation=answer.generation,
                first_token_ms=answer.timings_ms.get("first_token"),
            )
        )
    return report


def compare_with_baselines(assistant: Assistant, report: Report, corpus: list[Path]) -> str:
    """Side-by-side retrieval table: the peer baselines of DESIGN.md against this project."""
    from eval.baseline import baseline_ranks, summarize

    ranked = [r for r in report.results if r.item.answerable and r.item.evidence]
    items = [r.item for r in ranked]
    segmenter = assistant.searcher.segmenter
    if segmenter is None:
        from ingest.segment import UndertheseaSegmenter

        segmenter = UndertheseaSegmenter()
    systems = baseline_ranks(corpus, items, assistant.searcher.embedder, segmenter)
    systems["This project (hybrid, structure-aware)"] = [r.rank for r in ranked]
    lines = [f"Retrieval on {len(items)} answerable gold items (evidence in the top 5 / MRR@10):", ""]
    lines.append(f"| {'system':45} | recall@5 | MRR@10 |")
    lines.append(f"| {'-' * 45} | -------- | ------ |")
    ours = summarize(systems["This project (hybrid, structure-aware)"])
    best_baseline = 0.0
    for name, ranks in systems.items():
        recall, mrr = summarize(ranks)
        if not name.startswith("This project"):
            best_baseline = max(best_baseline, recall)
        lines.append(f"| {name:45} | {recall:8.3f} | {mrr:6.3f} |")
    lines.append("")
    lines.append(f"Margin over the best baseline: {ours[0] - best_baseline:+.3f} recall@5")
    return "\n".join(lines)


def format_report(report: Report, *, verbose: bool = False) -> str:
    """Human-readable report."""
    s = report.summary()
    lines = [
        f"Gold items: {s['items']}",
        f"Answer accuracy:       {s['answer_accuracy']:.3f}",
        f"Citation hit rate:     {s['citation_hit']:.3f}",
        f"Task answers (lead/deadline, {s['task_items']} items): {s['task_accuracy']:.3f}",
        f"Refusals:              unanswerable refused {s['unanswerable_refused']:.3f}, answerable refused {s['answerable_refused']:.3f}",
        f"Search recall@5:       {s['recall@5']:.3f}   (ignoring the plan the question names: {s['recall@5_all_documents']:.3f})",
        f"Search MRR@10:         {s['mrr@10']:.3f}",
        f"Search recall@5, questions stripped of diacritics: {s['recall@5_without_diacritics']:.3f}",
        f"Search latency ms:     p50 {s['search_ms_p50']}  p95 {s['search_ms_p95']}",
        f"Structured answer ms:  p50 {s['structured_ms_p50']}  p95 {s['structured_ms_p95']}",
        f"All answers ms:        p50 {s['answer_ms_p50']}  p95 {s['answer_ms_p95']}",
        "Generation:            " + (", ".join(f"{k} {v}" for k, v in s["generation"].items()) or "-"),
        f"Generated answers ms:  first token p50 {s['first_token_ms_p50']} p95 {s['first_token_ms_p95']}; "
        f"total p50 {s['generated_ms_p50']} p95 {s['generated_ms_p95']}",
        "By kind:  " + ", ".join(f"{k} {v:.2f}" for k, v in s["by_kind"].items()),
        "By style: " + ", ".join(f"{k} {v:.2f}" for k, v in s["by_style"].items()),
    ]
    if verbose:
        for r in report.results:
            if not r.correct or not r.cited:
                flag = ("ok " if r.correct else "BAD") + (" cite" if r.cited else " nocite") + f" {r.mode}"
                lines.append(f"  [{flag}] {r.item.id} {r.item.kind}: {r.item.question[:90]} (rank {r.rank})")
    return "\n".join(lines)
