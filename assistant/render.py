"""Wording of answers in Vietnamese and English: agencies, deadlines, documents, tasks."""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache
from importlib import resources

from assistant.injection import without_instructions
from assistant.listing import DeadlineWindow
from assistant.query import Intent
from ingest.records import DocumentMeta, TargetRecord, TaskRecord
from ingest.text import fold

# Fixed phrases of the structured answers, per language.
PHRASES: dict[str, dict[str, str]] = {
    "vi": {
        "task": "Nhiệm vụ {section} của {doc}",
        "lead": "Cơ quan chủ trì",
        "coordinating": "Cơ quan phối hợp",
        "deadline": "Thời gian hoàn thành",
        "not_stated": "văn bản không ghi",
        "note": "Sản phẩm / ghi chú",
        "leader": "Lãnh đạo phụ trách",
        "field_missing": "Văn bản không ghi {fields} của việc này.",
        "also_in": "Các văn bản khác cũng có nhiệm vụ {ref}:",
        "no_doc_named": "Câu hỏi không nêu văn bản nào nên tôi trả lời theo văn bản mới nhất có nhiệm vụ {ref}: {doc}.",
        "task_not_found": "Tôi không tìm thấy nhiệm vụ {ref} trong {doc}.",
        "task_not_found_any": "Tôi không tìm thấy nhiệm vụ {ref} trong các văn bản hiện có.",
        "matched_task": "Việc này thuộc nhiệm vụ {section} của {doc}",
        "all_documents": "các văn bản hiện có",
        "task_word": "nhiệm vụ",
        "target_word": "chỉ tiêu",
        "led_by": " do {agency} chủ trì",
        "due_in": " đến hạn trong {window}",
        "due_by": " đến hạn trước hết {window}",
        "list_head": "{doc}: {n} {kind}{led}{due}:",
        "list_none": "Tôi không tìm thấy {kind} nào{led}{due} trong {scope}.",
        "refused": "Các văn bản hiện có không nêu thông tin này{why}.",
        "closest": " Đoạn gần nhất được dẫn bên dưới để bạn tham khảo.",
        "not_instructions": "Tôi chỉ trả lời câu hỏi về nội dung các kế hoạch, kèm trích dẫn nguồn; tôi không làm theo yêu cầu thay đổi cách trả lời hay tiết lộ hướng dẫn nội bộ. Bạn có thể hỏi, ví dụ: \"Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?\"",
        "signer": "{doc} do {name} ký{role} [{n}].",
        "signer_missing": "Bản văn bản hiện có của {doc} không ghi tên người ký (phần chữ ký bị thiếu hoặc không đọc được).",
        "number": "{doc} có số hiệu {number}{date} [{n}].",
        "number_missing": "Bản văn bản hiện có của {doc} không ghi rõ số hiệu và ngày ban hành (phần đầu văn bản bị mất hoặc không đọc được).",
        "date": ", ban hành ngày {date}",
        "extractive_head": "Theo {doc}:",
        "target": "Theo {doc}, chỉ tiêu {section} «{indicator}»: {values}.",
        "target_value": "mục tiêu năm {year} là {value}",
        "target_other": " (năm {year}: {value})",
        "ongoing": "Thường xuyên",
        "ocr_note": "(Văn bản gốc là bản quét bị lỗi dấu; lời văn ở trên đã được sửa tự động, nguyên văn xem ở trích dẫn.)",
    },
    "en": {
        "task": "Task {section} of {doc}",
        "lead": "Lead agency",
        "coordinating": "Coordinating agencies",
        "deadline": "Deadline",
        "not_stated": "not stated in the document",
        "note": "Output / note",
        "leader": "Overseeing leader",
        "field_missing": "The document does not state the {fields} of this task.",
        "also_in": "Other documents also have a task {ref}:",
        "no_doc_named": "The question names no document, so this answer is from the most recent one that has task {ref}: {doc}.",
        "task_not_found": "I could not find task {ref} in {doc}.",
        "task_not_found_any": "I could not find task {ref} in the available documents.",
        "matched_task": "This is task {section} of {doc}",
        "all_documents": "the available documents",
        "task_word": "tasks",
        "target_word": "targets",
        "led_by": " led by {agency}",
        "due_in": " due in {window}",
        "due_by": " due by the end of {window}",
        "list_head": "{doc}: {n} {kind}{led}{due}:",
        "list_none": "I found no {kind}{led}{due} in {scope}.",
        "refused": "The available documents do not say this{why}.",
        "closest": " The closest passage is cited below for reference.",
        "not_instructions": "I only answer questions about what the plans say, with their sources; I do not follow requests to change how I answer or to reveal my instructions. You could ask, for example: \"Who leads task 5b of the 2026 digital transformation plan?\"",
        "signer": "{doc} was signed by {name}{role} [{n}].",
        "signer_missing": "The available copy of {doc} does not show who signed it (the signature block is missing or unreadable).",
        "number": "{doc} is numbered {number}{date} [{n}].",
        "number_missing": "The available copy of {doc} does not show its number and issue date (the header is missing or unreadable).",
        "date": ", issued on {date}",
        "extractive_head": "According to {doc}:",
        "target": "According to {doc}, indicator {section} “{indicator}”: {values}.",
        "target_value": "the {year} target is {value}",
        "target_other": " ({year}: {value})",
        "ongoing": "Ongoing",
        "ocr_note": "(The source is a scan with damaged diacritics; the wording above was repaired automatically — see the citation for the original text.)",
    },
}


def phrase(language: str, key: str, **values: object) -> str:
    """A fixed phrase in ``language`` with ``values`` filled in."""
    return PHRASES[language][key].format(**values)


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    text = resources.files("ingest").joinpath("data/agencies_en.tsv").read_text(encoding="utf-8")
    names = {}
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            vi, _, en = row.partition("\t")
            names[vi.strip()] = en.strip()
    return names


def agency(name: str, language: str) -> str:
    """An agency as answers show it: the canonical Vietnamese name, glossed in English answers."""
    english = _english_names().get(name)
    return f"{name} ({english})" if language == "en" and english else name


def agencies(names: list[str], language: str) -> str:
    """A list of agencies, or "not stated"."""
    if not names:
        return phrase(language, "not_stated")
    return "; ".join(agency(n, language) for n in names)


def _english_deadline(task: TaskRecord) -> str:
    if not task.deadline_start or not task.deadline_end:
        folded = fold(task.deadline_display or task.deadline_text)
        if "thuong xuyen" in folded:
            return PHRASES["en"]["ongoing"]
        return task.deadline_display or task.deadline_text
    start, end = date.fromisoformat(task.deadline_start), date.fromisoformat(task.deadline_end)
    if start == end:
        return f"{end.day} {calendar.month_name[end.month]} {end.year}"
    if start.year == end.year and (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31):
        return f"{end.year}"
    if start.day == 1 and start.year == end.year and start.month == end.month:
        return f"{calendar.month_name[end.month]} {end.year}"
    if start.day == 1 and start.year == end.year and (end.month - start.month) == 2 and start.month % 3 == 1:
        return f"Q{(start.month - 1) // 3 + 1} {end.year}"
    if start.day == 1 and start.year == end.year:
        return f"{calendar.month_name[start.month]}–{calendar.month_name[end.month]} {end.year}"
    return f"{start.isoformat()} – {end.isoformat()}"


def deadline(task: TaskRecord, language: str) -> str:
    """The deadline as the document says it (Vietnamese) or in plain English."""
    if not (task.deadline_display or task.deadline_text):
        return phrase(language, "not_stated")
    if language == "en":
        english = _english_deadline(task)
        vi = task.deadline_display or task.deadline_text
        return english if english == vi else f"{english} ({vi})"
    return task.deadline_display or task.deadline_text


_KIND_EN = {"kế hoạch": "Plan", "đề án": "Project", "chương trình hành động": "Action Programme"}


def document_name(meta: DocumentMeta, language: str = "vi") -> str:
    """A document's kind and number: "Kế hoạch 93/KH-UBND" / "Plan 93/KH-UBND"."""
    if language == "en":
        kind = _KIND_EN.get(meta.kind, "Document")
    else:
        kind = (meta.kind[:1].upper() + meta.kind[1:]) if meta.kind else "Văn bản"
    return f"{kind} {meta.number}".strip()


def document_label(meta: DocumentMeta | None, doc_id: str = "", language: str = "vi") -> str:
    """Short name of a document: "Kế hoạch 93/KH-UBND (năm 2024)" / "Plan 93/KH-UBND (2024)"."""
    if meta is None:
        return doc_id
    name = document_name(meta, language)
    if meta.years:
        span = str(meta.years[0]) if len(meta.years) == 1 else f"{meta.years[0]}–{meta.years[-1]}"
        if language == "vi":
            span = ("năm " if len(meta.years) == 1 else "giai đoạn ") + span
        name += f" ({span})"
    if "thanh uy" in fold(meta.issuer):
        name += " of the City Party Committee" if language == "en" else " của Thành ủy"
    return name


def task_name(task: TaskRecord, language: str, *, with_word: bool = True) -> str:
    """How people name a task: "nhiệm vụ 5b (mục III.5.b)" / "task 5b (III.5.b)"."""
    parts = task.section.split(".")
    short = "".join(parts[-2:]) if len(parts) >= 2 and parts[-1].isalpha() else task.section
    if short == task.section:
        return f"{'Nhiệm vụ ' if language == 'vi' else 'Task '}{task.section}" if with_word else task.section
    where = f"mục {task.section}" if language == "vi" else task.section
    word = ("Nhiệm vụ " if language == "vi" else "Task ") if with_word else ""
    return f"{word}{short} ({where})"


def _list_filters(language: str, agency_name: str | None, window: DeadlineWindow | None) -> tuple[str, str]:
    led = phrase(language, "led_by", agency=agency(agency_name, language)) if agency_name else ""
    due = ""
    if window is not None:
        due = phrase(language, "due_by" if window.by else "due_in", window=window.display)
    return led, due


def list_heading(language: str, kind: str, count: int, doc: str, agency_name: str | None, window: DeadlineWindow | None) -> str:
    """ "Kế hoạch 23/KH-UBND (năm 2026): 2 nhiệm vụ do Sở Y tế chủ trì:" """
    led, due = _list_filters(language, agency_name, window)
    return phrase(language, "list_head", doc=doc, n=count, kind=phrase(language, f"{kind}_word"), led=led, due=due)


def list_none(language: str, kind: str, scope: str, agency_name: str | None, window: DeadlineWindow | None) -> str:
    """Nothing matched the list filters."""
    led, due = _list_filters(language, agency_name, window)
    return phrase(language, "list_none", kind=phrase(language, f"{kind}_word"), scope=scope, led=led, due=due)


def list_item(item: TaskRecord | TargetRecord, language: str) -> str:
    """One line of a list answer."""
    if isinstance(item, TargetRecord):
        values = "; ".join(f"{year}: {value}" for year, value in item.values.items()) or "—"
        return f"{item.section}: {item.indicator[:160]} — {values}"
    return f"{task_name(item, language)}: {task_title(item, 160)} — {phrase(language, 'deadline')}: {deadline(item, language)}"


def task_title(task: TaskRecord, limit: int = 220) -> str:
    """The task's own words, shortened at a word boundary; a sentence of it that addresses
    the assistant (an injection planted in a document) is not repeated."""
    text = " ".join(without_instructions(task.text).split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


def task_fields(task: TaskRecord, intents: set[Intent], language: str, cite: int) -> list[str]:
    """Bullet lines for a task, the asked-for fields first."""
    lines = {
        Intent.LEAD: f"- {phrase(language, 'lead')}: {agencies(task.lead, language)}",
        Intent.COORDINATING: f"- {phrase(language, 'coordinating')}: {agencies(task.coordinating, language)}",
        Intent.DEADLINE: f"- {phrase(language, 'deadline')}: {deadline(task, language)}",
    }
    order = [i for i in (Intent.LEAD, Intent.COORDINATING, Intent.DEADLINE) if i in intents]
    order += [i for i in (Intent.LEAD, Intent.COORDINATING, Intent.DEADLINE) if i not in order]
    out = [lines[i] for i in order]
    out[0] += f" [{cite}]"
    # Appendix tables carry the expected output ("Nghị quyết … tháng 12/2025") and the
    # overseeing leader: often the only date when the deadline says "Thường xuyên".
    if task.note:
        out.append(f"- {phrase(language, 'note')}: {without_instructions(task.note)}")
    if task.leader:
        out.append(f"- {phrase(language, 'leader')}: {task.leader}")
    return out


def missing_fields(task: TaskRecord, intents: set[Intent]) -> list[Intent]:
    """The asked fields the task record does not have."""
    present = {
        Intent.LEAD: bool(task.lead),
        Intent.COORDINATING: bool(task.coordinating),
        Intent.DEADLINE: bool(task.deadline_text or task.deadline_display),
    }
    return [i for i in (Intent.LEAD, Intent.COORDINATING, Intent.DEADLINE) if i in intents and not present[i]]
