"""The outline parser on real excerpts: clean text and OCR-damaged text."""

from __future__ import annotations

from ingest.clean import clean_lines, join_paragraphs
from ingest.loaders import SourceLine
from ingest.structure import BlockKind, FieldKind, classify_field, format_path, parse_outline
from ingest.tasks import extract_tasks

from tests.conftest import CORPUS, PLAN_2024, PLAN_2026


def _blocks(text: str):
    lines = [SourceLine(i, t) for i, t in enumerate(text.splitlines(), 1)]
    return parse_outline(join_paragraphs(clean_lines(lines)))


def _excerpt(doc: str, start: int, end: int) -> str:
    return "\n".join((CORPUS / doc).read_text(encoding="utf-8").splitlines()[start - 1 : end])


CLEAN = """III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM NĂM 2024
1. Chính quyền số
a) Triển khai nền tảng tích hợp, chia sẻ dữ liệu
của thành phố.
- Cơ quan chủ trì: Sở Thông tin và Truyền thông.
- Cơ quan phối hợp: Các sở, ban, ngành; UBND quận, huyện.
- Thời gian hoàn thành: Tháng 6/2024.
đ) Số hóa hồ sơ.
- Cơ quan chủ trì: Sở Nội vụ.
- Thời hạn hoàn thành: Quý III/2024.
"""

OCR = """III. NHIM VU
5. Phát trin xã hi s
d) Trin khai Tng dài h tr.
- Co quan chü trI: SO Khoa h9c và Cong ngh.
- Co quan phi hcrp: các sâ, ban, ngành, UBND phi.r&ng, xâ.
- ThOi gian hoàn thành: Qu 112026.
d) Phát trin nn tang hçc tp s.
- Co quan chü tn: S Giáo dic và Dào tao.
- Thai gian hoàn thành: Nàm 2026.
"""


def test_clean_outline_paths_fields_and_letters() -> None:
    blocks = _blocks(CLEAN)
    paths = [format_path(b.path) for b in blocks if b.kind is BlockKind.LETTER]
    assert paths == ["III.1.a", "III.1.đ"]
    fields = [b.field for b in blocks if b.kind is BlockKind.FIELD]
    assert fields == [FieldKind.LEAD, FieldKind.COORDINATING, FieldKind.DEADLINE, FieldKind.LEAD, FieldKind.DEADLINE]
    # "của thành phố." was broken mid-sentence and is joined back to its item.
    item = next(b for b in blocks if b.kind is BlockKind.LETTER)
    assert "chia sẻ dữ liệu của thành phố" in item.text


def test_ocr_labels_and_d_printed_for_dd() -> None:
    blocks = _blocks(OCR)
    letters = [format_path(b.path) for b in blocks if b.kind is BlockKind.LETTER]
    # The second "d)" after a "d)" is the OCR of "đ)".
    assert letters == ["III.5.d", "III.5.đ"]
    tasks = extract_tasks("x.txt", blocks)
    assert [t.section for t in tasks] == ["III.5.d", "III.5.đ"]
    assert tasks[0].lead == ["Sở Khoa học và Công nghệ"]
    assert tasks[0].deadline_start == "2026-01-01" and tasks[0].deadline_end == "2026-03-31"
    assert tasks[1].lead == ["Sở Giáo dục và Đào tạo"]
    assert tasks[1].deadline_end == "2026-12-31"


def test_field_labels_survive_ocr() -> None:
    assert classify_field("Co quan chü trI") is FieldKind.LEAD
    assert classify_field("ThOi gian hoàn thành") is FieldKind.DEADLINE
    assert classify_field("Thời hạn hoàn thành") is FieldKind.DEADLINE
    assert classify_field("Co quan phi hcrp") is FieldKind.COORDINATING
    assert classify_field("Kinh phí thực hiện") is None


def test_real_excerpt_of_the_2026_plan() -> None:
    # Nhiệm vụ 8a of the 2026 plan as OCR produced it (lines 2157–2164).
    text = "III. NHIỆM VỤ\n8. Kinh tế số\n" + _excerpt(PLAN_2026, 2157, 2164)
    tasks = extract_tasks(PLAN_2026, _blocks(text))
    assert len(tasks) == 1
    assert tasks[0].lead == ["Thống kê thành phố"]


def test_real_excerpt_of_the_2024_plan_keeps_line_numbers() -> None:
    source = (CORPUS / PLAN_2024).read_text(encoding="utf-8")
    lines = [SourceLine(i, t) for i, t in enumerate(source.splitlines(), 1)]
    tasks = extract_tasks(PLAN_2024, parse_outline(join_paragraphs(clean_lines(lines))))
    for task in tasks:
        first = lines[task.lines[0] - 1].text
        # The span starts at the item's own line: "a) …" with the item letter of its path.
        assert first.strip().lower().startswith(task.section.split(".")[-1]), (task.section, first)
