"""Task records extracted from the shipped plans."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.pipeline import parse_document

from tests.conftest import CORPUS, PLAN_2024, PLAN_2026


@pytest.fixture(scope="module")
def plan_2026():
    return parse_document(CORPUS / PLAN_2026)


@pytest.fixture(scope="module")
def plan_2024():
    return parse_document(CORPUS / PLAN_2024)


def test_2026_plan_section_iii_has_its_66_tasks(plan_2026) -> None:
    section_iii = [t for t in plan_2026.tasks if t.section.startswith("III.")]
    assert len(section_iii) == 66
    assert len({t.section for t in section_iii}) == 66
    assert sum(bool(t.lead) for t in section_iii) >= 65
    assert sum(bool(t.deadline_text) for t in section_iii) >= 64


def test_2026_plan_task_5b_has_lead_and_deadline(plan_2026) -> None:
    task = next(t for t in plan_2026.tasks if t.section == "III.5.b")
    assert task.lead and task.deadline_text
    source = (CORPUS / PLAN_2026).read_text(encoding="utf-8").splitlines()
    span = " ".join(source[task.lines[0] - 1 : task.lines[1]])
    assert task.lead_source.split()[0] in span  # the lead comes from inside the cited span


def test_2024_plan_full_task_list(plan_2024) -> None:
    section_iii = [t for t in plan_2024.tasks if t.section.startswith("III.")]
    assert len(section_iii) == 63
    assert all(t.lead for t in section_iii)
    assert all(t.deadline_text for t in section_iii)
    per_section = Counter(t.section.rsplit(".", 1)[0] for t in section_iii)
    assert len(per_section) >= 8


def test_agencies_are_canonical_in_records(plan_2026) -> None:
    leads = Counter(name for t in plan_2026.tasks for name in t.lead)
    assert leads["Sở Khoa học và Công nghệ"] >= 20
    # OCR spellings such as "SO Khoa h9c và Cong ngh" never reach the records.
    assert not any("h9c" in name or "ngh." in name for name in leads)


def test_chunks_keep_provenance(plan_2026) -> None:
    for chunk in plan_2026.chunks:
        assert chunk.doc_id == PLAN_2026
        assert 1 <= chunk.lines[0] <= chunk.lines[1] <= plan_2026.meta.line_count
    task_chunks = {c.task_section for c in plan_2026.chunks if c.kind == "task"}
    assert {t.section for t in plan_2026.tasks} <= task_chunks
