"""Task rows recovered from the appendix tables of the Resolution 57 plan and the Đề án."""

from __future__ import annotations

import pytest

from ingest.loaders import load_document
from ingest.table_tasks import extract_table_tasks

from tests.conftest import CORPUS, DE_AN, PLAN_NQ57_UBND


@pytest.fixture(scope="module")
def nq57_rows():
    raw = load_document(CORPUS / PLAN_NQ57_UBND)
    return {t.section: t for t in extract_table_tasks(raw.doc_id, raw.lines)}, raw


@pytest.fixture(scope="module")
def de_an_rows():
    raw = load_document(CORPUS / DE_AN)
    return {t.section: t for t in extract_table_tasks(raw.doc_id, raw.lines)}, raw


def test_nq57_appendix_rows(nq57_rows) -> None:
    rows, raw = nq57_rows
    assert len(rows) >= 100
    row = rows["PL2.I.2"]
    # Lead and coordinating cells were printed on one line: "Sở Nội vụ Sở Khoa học".
    assert row.lead == ["Sở Nội vụ"]
    assert "Sở Khoa học và Công nghệ" in row.coordinating
    assert row.deadline_display == "Năm 2025"
    assert row.leader.startswith("Chủ tịch UBND")
    assert row.text.startswith("Triển khai quy định trách nhiệm")
    first_line = raw.lines[row.lines[0] - 1].text
    assert first_line.strip().startswith("2 ")


def test_nq57_rows_have_leads_and_deadlines(nq57_rows) -> None:
    rows, _ = nq57_rows
    assert sum(bool(r.lead) for r in rows.values()) / len(rows) >= 0.95
    assert sum(bool(r.deadline_text) for r in rows.values()) / len(rows) >= 0.9


def test_de_an_rows(de_an_rows) -> None:
    rows, _ = de_an_rows
    assert len(rows) >= 100
    row = rows["PL.I.1.6"]
    assert row.lead == ["Sở Thông tin và Truyền thông"]
    assert row.coordinating == ["Các sở, ban, ngành", "UBND quận, huyện, phường, xã"]
    assert row.deadline_display.lower().startswith("hàng năm")
    assert "Ngày chuyển đổi số" in row.text


def test_row_numbers_inside_cells_are_not_rows(de_an_rows) -> None:
    rows, _ = de_an_rows
    # Dates and decision numbers in cells ("749/QĐ-TTg", "2021-2025") never start a row.
    assert all(section.count(".") <= 3 for section in rows)
    assert all(r.lines[0] <= r.lines[1] for r in rows.values())
