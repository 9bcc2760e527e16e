"""The agency gazetteer on spellings found in the shipped plans."""

from __future__ import annotations

import pytest

from ingest.agencies import find_agencies


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        # OCR of the 2026 plan and of the Resolution 57 programme
        ("SO Khoa h9c và Cong ngh.", ["Sở Khoa học và Công nghệ"]),
        ("Thng kê thành ph.", ["Thống kê thành phố"]),
        ("COng an thành phô", ["Công an thành phố"]),
        ("Van phông UBND thành phô", ["Văn phòng UBND thành phố"]),
        ("Ban Tuyén glao va Dan van Thanh uy", ["Ban Tuyên giáo và Dân vận Thành ủy"]),
        ("S Giáo dic và Dào tao", ["Sở Giáo dục và Đào tạo"]),
        ("S& Y t", ["Sở Y tế"]),
        ("Sâ Cong Thucmg", ["Sở Công Thương"]),
        ("Thuê thành phô", ["Thuế thành phố"]),
        ("Các sâ, ban, ngành, UBND phi.rOng, xâ, dc khu", ["Các sở, ban, ngành", "UBND phường, xã, đặc khu"]),
        # abbreviations
        ("Sở TT&TT", ["Sở Thông tin và Truyền thông"]),
        ("Sở KH&CN", ["Sở Khoa học và Công nghệ"]),
        ("VP UBND thành phố", ["Văn phòng UBND thành phố"]),
        # two agencies printed with nothing between them (a table's two columns)
        ("Sở Nội vụ Sở Khoa học và Công nghệ", ["Sở Nội vụ", "Sở Khoa học và Công nghệ"]),
    ],
)
def test_damaged_and_abbreviated_spellings(printed: str, canonical: list[str]) -> None:
    assert [m.canonical for m in find_agencies(printed) if m.canonical] == canonical


def test_unknown_text_is_kept_not_guessed() -> None:
    mentions = find_agencies("Hội đồng chuyên gia tư vấn quốc tế")
    assert all(m.canonical is None for m in mentions)
    assert mentions and "chuyên gia" in mentions[0].source


def test_similar_names_stay_apart() -> None:
    assert [m.canonical for m in find_agencies("Sở Tài chính")] == ["Sở Tài chính"]
    assert [m.canonical for m in find_agencies("Sở Tư pháp")] == ["Sở Tư pháp"]
    assert [m.canonical for m in find_agencies("Sở Xây dựng")] == ["Sở Xây dựng"]


def test_typed_questions_are_matched_strictly() -> None:
    # OCR tolerance would read the city's name inside a question as the university.
    question = "Chủ đề chuyển đổi số của Đà Nẵng năm 2026 là gì vậy?"
    assert [m.canonical for m in find_agencies(question) if m.canonical] == ["Đại học Đà Nẵng"]
    assert [m.canonical for m in find_agencies(question, typed=True) if m.canonical] == []
    # Typed without diacritics or abbreviated, a name is still recognised.
    for typed, canonical in [
        ("so khoa hoc va cong nghe chu tri", "Sở Khoa học và Công nghệ"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("van phong ubnd thanh pho", "Văn phòng UBND thành phố"),
        ("Dai hoc Da Nang", "Đại học Đà Nẵng"),
    ]:
        assert [m.canonical for m in find_agencies(typed, typed=True) if m.canonical] == [canonical]
