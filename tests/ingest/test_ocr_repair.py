"""OCR repair of damaged Vietnamese, and metadata read from damaged pages."""

from __future__ import annotations

import pytest

from ingest.loaders import SourceLine
from ingest.ocr_repair import damaged_share, repair_text
from ingest.signature import find_signature

from tests.conftest import CORPUS, PARTY_NQ57, PLAN_2024, PLAN_2026


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("Trin khai bnh vin s", "Triển khai bệnh viện số"),
        ("Co quan chü tn: Thng kê thành ph.", "Cơ quan chủ tin: Thống kê thành phố."),
        ("Trin khai các nhim vu chuyn di s, chi dao, diu hành", "Triển khai các nhiệm vụ chuyển đổi số, chỉ đạo, điều hành"),
        ("C6 it nhat 05 san pham", "CÓ ít nhất 05 sản phẩm"),
    ],
)
def test_repairs_damaged_words(damaged: str, expected: str) -> None:
    repaired = repair_text(damaged)
    # Every word the expected text has in the lexicon must come back (case kept as printed).
    for word in ("bệnh viện", "Thống kê", "nhiệm vụ", "chuyển đổi số", "sản phẩm", "chỉ đạo"):
        if word in expected:
            assert word in repaired, (damaged, repaired)
    assert "05" in repair_text("C6 it nhat 05 san pham")  # numbers are never changed


def test_clean_text_is_left_alone() -> None:
    text = "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành; TP. Đà Nẵng; UBND"
    assert repair_text(text) == text


def test_damaged_documents_are_told_apart() -> None:
    share = {doc: damaged_share((CORPUS / doc).read_text(encoding="utf-8")) for doc in (PLAN_2026, PLAN_2024, PARTY_NQ57)}
    assert share[PLAN_2024] < 0.02
    assert share[PLAN_2026] > 0.2 and share[PARTY_NQ57] > 0.2


def test_signature_of_the_2024_plan() -> None:
    lines = [SourceLine(i, t) for i, t in enumerate((CORPUS / PLAN_2024).read_text(encoding="utf-8").splitlines(), 1)]
    signature = find_signature(lines)
    assert signature is not None
    assert lines[signature.line - 1].text.strip() == signature.name  # clean print: the name as printed
    assert "CHỦ TỊCH" in signature.role


def test_missing_signature_gives_none() -> None:
    lines = [SourceLine(1, "Nơi nhận:"), SourceLine(2, "- Như trên;"), SourceLine(3, "- Lưu: VT.")]
    assert find_signature(lines) is None
