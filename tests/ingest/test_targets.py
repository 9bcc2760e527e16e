"""Target rows recovered from the 2026 plan's flattened table."""

from __future__ import annotations

import pytest

from ingest.pipeline import parse_document

from tests.conftest import CORPUS, PLAN_2024, PLAN_2026


@pytest.fixture(scope="module")
def targets():
    return {t.section: t for t in parse_document(CORPUS / PLAN_2026).targets}


def _source(lines: tuple[int, int]) -> str:
    text = (CORPUS / PLAN_2026).read_text(encoding="utf-8").splitlines()
    return " ".join(text[lines[0] - 1 : lines[1]])


def test_rows_have_year_columns_and_leads(targets) -> None:
    assert len(targets) >= 60
    confident = [t for t in targets.values() if t.confidence >= 0.9]
    assert len(confident) >= 0.6 * len(targets)  # measured: 48 of 77 rows fully placed
    for target in confident:
        assert set(target.values) == {"2030", "2026"}
        # Every value is printed inside the row's own cited lines.
        for value in target.values.values():
            assert value.replace("≥ ", "").split()[0].rstrip("%") in _source(target.lines)


def test_row_merged_by_ocr_is_split(targets) -> None:
    # "1 4" (row 1.4) was glued to row 1.3 in the text; it is its own row.
    assert "II.3.1.4" in targets
    assert targets["II.3.1.4"].values == {"2030": "100%", "2026": "95%"}
    assert targets["II.3.1.3"].values == {"2030": "100%", "2026": "100%"}


def test_ocr_comparator_and_range(targets) -> None:
    assert targets["II.3.1.1"].values == {"2030": "≥ 0,8", "2026": "≥ 0,75"}
    assert targets["II.3.2.1"].values["2030"] == "35% - 40%"
    assert targets["II.3.2.1"].lead == ["Thống kê thành phố"]


def test_tab_separated_table_of_the_2024_plan() -> None:
    # "STT | Chỉ tiêu | Mục tiêu năm 2025 | Kết quả năm 2023 | Mục tiêu 2024 | Cơ quan chủ trì"
    # with the header repeated per page and groups I/II/III.
    rows = {t.section: t for t in parse_document(CORPUS / PLAN_2024).targets}
    assert len(rows) >= 45
    digital_economy = rows["II.II.3"]
    assert digital_economy.indicator == "Tỷ trọng Kinh tế số trong GRDP"
    # The result column (19,76% in 2023) is not a target.
    assert digital_economy.values == {"2024": "22%", "2025": "20%"}
    assert digital_economy.lead == ["Sở Thông tin và Truyền thông"]
    assert rows["II.III.5"].values == {"2024": "20%", "2025": "~50%"}
    # A row broken by a page ("Tỷ trọng công nghiệp ICT trong" … "GRDP") is one row.
    ict = rows["II.II.4"]
    assert ict.indicator == "Tỷ trọng công nghiệp ICT trong GRDP"
    assert ict.lines[1] > ict.lines[0]
    # LaTeX written by the converter is read back: "$\\geq 10\\%$".
    assert rows["II.II.7"].values["2025"] == "≥ 10%"
