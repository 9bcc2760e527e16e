"""The embedded backend on the real bundled model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M,
assembled by the install command), CPU, small prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.generation import Generator
from assistant.grounding import CitationFilter, check
from assistant.llm.embedded import EmbeddedBackend
from assistant.llm.weights import weights_path, weights_ready
from assistant.prompts import Passage, PromptSet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def backend() -> EmbeddedBackend:
    models = Settings().models_dir
    assert weights_ready(models), f"LLM weights missing under {models}: run `assistant models` (the install does)"
    backend = EmbeddedBackend(weights_path(models))
    assert backend.load()
    yield backend
    backend.close()


def test_streams_tokens(backend: EmbeddedBackend) -> None:
    pieces = list(backend.stream([{"role": "user", "content": "Xin chào"}], max_tokens=8, timeout=60))
    assert len(pieces) >= 2 and "".join(pieces).strip()


def test_grounded_vietnamese_answer_cites_its_passage(backend: EmbeddedBackend) -> None:
    passages = [
        Passage(1, "Kế hoạch 23/KH-UBND, III.2.a", "Triển khai nền tảng dữ liệu dùng chung; cơ quan chủ trì: Sở Khoa học và Công nghệ; hoàn thành Quý IV/2026."),
        Passage(2, "Kế hoạch 23/KH-UBND, III.4.b", "Đào tạo kỹ năng số cho cán bộ, công chức; cơ quan chủ trì: Sở Nội vụ; hoàn thành năm 2026."),
    ]
    generator = Generator(backend, PromptSet.load(), max_tokens=80)
    question = "Cơ quan nào chủ trì đào tạo kỹ năng số cho cán bộ?"
    filt = CitationFilter({1, 2})
    answer = "".join(filt.feed(p) for p in generator.stream(question, passages, "vi")) + filt.flush()
    verdict = check(answer, {p.n: p.text for p in passages}, question, "vi")
    assert "Sở Nội vụ" in answer and 2 in verdict.cited, answer


def test_missing_weights_leave_the_backend_unavailable(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "absent.gguf")
    assert not backend.load() and not backend.ready()
