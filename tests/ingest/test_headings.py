"""Damaged section headings of the OCR'd 2026 plan get their names back."""

from __future__ import annotations

import pytest

from ingest.headings import repair_heading


@pytest.mark.parametrize(
    ("printed", "repaired"),
    [
        ("Htngs", "Hạ tầng số"),  # "3.Htngs": vowels and spaces lost
        ("ChuIdê Chü d trin khai chuyn di s", "Chủ đề Chü d trin khai chuyn di s"),  # glued to its paragraph
        ("ChInh quyn s", "Chính quyền số"),
        ("Xã hi s", "Xã hội số"),
    ],
)
def test_damaged_headings_from_the_2026_plan(printed: str, repaired: str) -> None:
    assert repair_heading(printed) == repaired


@pytest.mark.parametrize(
    "title",
    ["Hạ tầng số", "Sở Y tế", "Chỉ đạo điều hành", "Tinh Quãng Nam (cfl)", "Triển khai Đề án 06", "Cơ hội"],
)
def test_other_titles_are_left_alone(title: str) -> None:
    assert repair_heading(title) == title
