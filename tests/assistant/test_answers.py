"""Answers over the shipped corpus: structured task answers, document facts, refusals.

Expected values come from the task records and metadata the parser recovered, and the
tests check those against the cited source lines, so a wrong parse cannot pass.
"""

from __future__ import annotations

import pytest

from assistant.core import Assistant
from ingest.text import fold

from tests.conftest import DE_AN, PARTY_NQ57, PLAN_2024, PLAN_2026, PLAN_NQ57_UBND


def _task(assistant: Assistant, doc: str, section: str):
    return next(t for t in assistant.data.tasks if t.doc_id == doc and t.section == section)


def test_task_5b_of_the_2026_plan(assistant: Assistant) -> None:
    answer = assistant.ask("Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026, hạn khi nào?")
    task = _task(assistant, PLAN_2026, "III.5.b")
    assert answer.mode == "structured" and not answer.refused
    assert all(name in answer.answer for name in task.lead)
    assert task.deadline_display in answer.answer
    citation = answer.citations[0]
    assert citation["doc"] == PLAN_2026 and tuple(citation["lines"]) == task.lines
    source = (assistant.data.lines[PLAN_2026])[task.lines[0] - 1 : task.lines[1]]
    assert citation["quote"].split()[0] in " ".join(source)


def test_same_question_without_diacritics(assistant: Assistant) -> None:
    accented = assistant.ask("Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?")
    plain = assistant.ask("ai chu tri nhiem vu 5b cua ke hoach chuyen doi so nam 2026")
    assert plain.citations[0]["lines"] == accented.citations[0]["lines"]
    assert plain.language == "vi"


def test_ocr_damaged_lead_is_shown_canonical_and_quoted_verbatim(assistant: Assistant) -> None:
    task = _task(assistant, PLAN_2026, "III.8.a")
    answer = assistant.ask("Ai chủ trì nhiệm vụ 8a kế hoạch 2026?")
    assert "Thống kê thành phố" in answer.answer
    assert task.lead_source in " ".join(assistant.data.lines[PLAN_2026][task.lines[0] - 1 : task.lines[1]])
    assert "Thống kê thành phố" not in answer.citations[0]["quote"]  # the quote stays as printed


def test_english_question_gets_english_answer(assistant: Assistant) -> None:
    answer = assistant.ask("Who leads task 2a of the 2024 plan and when is it due?")
    task = _task(assistant, PLAN_2024, "III.2.a")
    assert answer.language == "en"
    assert "Lead agency" in answer.answer and "Deadline" in answer.answer
    assert task.lead[0] in answer.answer
    assert answer.citations[0]["doc"] == PLAN_2024


def test_no_document_named_uses_most_recent_and_lists_others(assistant: Assistant) -> None:
    answer = assistant.ask("Ai chủ trì nhiệm vụ 5b?")
    assert answer.citations[0]["doc"] == PLAN_2026
    assert "văn bản mới nhất" in answer.answer
    assert any(c["doc"] == PLAN_2024 for c in answer.citations[1:])


def test_task_missing_in_named_document_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask("Ai chủ trì nhiệm vụ 19z của kế hoạch 2024?")
    assert answer.refused and "19.z" in answer.answer


def test_list_of_tasks_an_agency_leads(assistant: Assistant) -> None:
    answer = assistant.ask("Sở Y tế chủ trì những nhiệm vụ nào trong kế hoạch chuyển đổi số năm 2026?")
    expected = [t for t in assistant.data.tasks if t.doc_id == PLAN_2026 and "Sở Y tế" in t.lead]
    assert expected and answer.mode == "structured"
    assert len(answer.citations) == len(expected)
    assert {tuple(c["lines"]) for c in answer.citations} == {t.lines for t in expected}


def test_signer_from_ocr_signature(assistant: Assistant) -> None:
    answer = assistant.ask("Ai ký chương trình hành động thực hiện Nghị quyết 57 của Thành ủy?")
    meta = assistant.data.documents[PARTY_NQ57]
    assert meta.signer and meta.signer in answer.answer
    line = answer.citations[0]["lines"][0]
    # The gazetteer name matches the damaged signature it was read from.
    assert fold(meta.signer).split()[-1][:3] in fold(assistant.data.lines[PARTY_NQ57][line - 1])


def test_missing_facts_are_refused(assistant: Assistant) -> None:
    signer = assistant.ask("Who signed the 2026 digital transformation plan?")
    assert signer.refused and signer.language == "en"
    number = assistant.ask("What is the document number and issue date of the Party Committee's Resolution 57 action programme?")
    assert number.refused


def test_unrelated_question_is_refused(assistant: Assistant) -> None:
    answer = assistant.ask("Giá vé máy bay từ Đà Nẵng đi Hà Nội là bao nhiêu?")
    assert answer.refused
    assert "không nêu" in answer.answer


def test_extractive_answer_cites_the_sentence(assistant: Assistant) -> None:
    answer = assistant.ask("Đà Nẵng có bao nhiêu km cáp quang ngầm trong mạng MAN theo kế hoạch 2024?")
    assert not answer.refused and answer.mode == "extractive"
    citation = answer.citations[0]
    assert citation["doc"] == PLAN_2024
    quoted = " ".join(assistant.data.lines[PLAN_2024][citation["lines"][0] - 1 : citation["lines"][1]])
    assert "400 km" in quoted and "400 km" in answer.answer


def test_target_question_answers_from_the_table_row(assistant: Assistant) -> None:
    answer = assistant.ask("Mục tiêu tỷ trọng kinh tế số trong GRDP của Đà Nẵng năm 2026 là bao nhiêu?")
    row = next(t for t in assistant.data.targets if t.doc_id == PLAN_2026 and t.section == "II.3.2.1")
    assert answer.mode == "structured" and not answer.refused
    assert row.values["2026"] in answer.answer and "năm 2026" in answer.answer
    assert tuple(answer.citations[0]["lines"]) == row.lines


def test_general_goal_question_is_not_taken_for_a_figure(assistant: Assistant) -> None:
    answer = assistant.ask("Mục tiêu chung của kế hoạch chuyển đổi số năm 2026 là gì?")
    assert answer.mode == "extractive"


def test_list_by_deadline_window_is_complete(assistant: Assistant) -> None:
    answer = assistant.ask("Những nhiệm vụ nào của kế hoạch 2026 đến hạn trong quý I/2026?")
    expected = [
        t
        for t in assistant.data.tasks
        if t.doc_id == PLAN_2026 and t.deadline_end and "2026-01-01" <= t.deadline_end <= "2026-03-31"
    ]
    assert expected and answer.mode == "structured"
    assert {tuple(c["lines"]) for c in answer.citations} == {t.lines for t in expected}
    assert "Quý I/2026" in answer.answer


def test_list_of_targets_an_agency_leads(assistant: Assistant) -> None:
    answer = assistant.ask("Các chỉ tiêu do Sở Công Thương chủ trì là gì?")
    expected = [t for t in assistant.data.targets if "Sở Công Thương" in t.lead]
    assert expected
    assert len(answer.citations) == len(expected)
    assert all(t.values.get("2026", "") in answer.answer for t in expected)


def test_list_across_all_plans_when_none_is_named(assistant: Assistant) -> None:
    answer = assistant.ask("Sở Tư pháp chủ trì những nhiệm vụ nào?")
    docs = {c["doc"] for c in answer.citations}
    expected = {t.doc_id for t in assistant.data.tasks if "Sở Tư pháp" in t.lead}
    assert docs == expected and len(docs) >= 2


def test_table_task_of_the_nq57_plan_by_reference(assistant: Assistant) -> None:
    from tests.conftest import PLAN_NQ57_UBND

    task = next(t for t in assistant.data.tasks if t.doc_id == PLAN_NQ57_UBND and t.section == "PL2.I.2")
    answer = assistant.ask("Ai chủ trì nhiệm vụ PL2.I.2 của kế hoạch thực hiện Nghị quyết 57 của UBND?")
    assert task.lead[0] in answer.answer
    assert answer.citations[0]["doc"] == PLAN_NQ57_UBND


@pytest.mark.parametrize(
    "question",
    [
        "Ai chủ trì việc tập huấn kỹ năng số cho học sinh trung học năm 2026?",
        "Kế hoạch 2024 giao ai triển khai Festival chuyển đổi số trong thanh thiếu niên?",
        "Tỷ trọng kinh tế số trong GRDP năm 2026 là bao nhiêu?",
    ],
)
def test_questions_without_diacritics_find_the_same_evidence(assistant: Assistant, question: str) -> None:
    from ingest.text import strip_diacritics

    accented = assistant.find(question, 5)
    plain = assistant.find(strip_diacritics(question), 5)
    assert (accented[0].chunk.doc_id, accented[0].chunk.lines) in {(h.chunk.doc_id, h.chunk.lines) for h in plain[:3]}
    assert assistant.ask(strip_diacritics(question)).citations[0]["lines"] == assistant.ask(question).citations[0]["lines"]


def test_ambiguous_reference_names_the_plan_used(assistant: Assistant) -> None:
    answer = assistant.ask("task 3a: who leads it and when is it due?")
    assert answer.language == "en"
    assert "most recent" in answer.answer
    assert len({c["doc"] for c in answer.citations}) >= 2


def test_who_is_question_needs_a_person_in_the_evidence(assistant: Assistant) -> None:
    answer = assistant.ask("Ai là Giám đốc Sở Y tế thành phố Đà Nẵng?")
    assert answer.refused


def test_asked_field_the_record_lacks_is_refused(assistant: Assistant) -> None:
    # Task 10c of the 2026 plan names its lead and coordinators but no time.
    task = _task(assistant, PLAN_2026, "III.10.c")
    assert task.lead and not task.deadline_text
    answer = assistant.ask("Nhiệm vụ 10c của kế hoạch chuyển đổi số 2026 hạn khi nào?")
    assert answer.refused and answer.mode == "structured"
    assert "không ghi thời gian hoàn thành" in answer.answer
    assert answer.citations[0]["lines"] == list(task.lines)
    # Asked for the lead too, it answers.
    assert not assistant.ask("Ai chủ trì nhiệm vụ 10c của kế hoạch 2026, hạn khi nào?").refused


def test_appendix_output_column_is_shown(assistant: Assistant) -> None:
    task = next(t for t in assistant.data.tasks if t.doc_id == PLAN_NQ57_UBND and t.note and "12/2025" in t.note)
    answer = assistant.ask(f"Nhiệm vụ {task.section} của kế hoạch thực hiện Nghị quyết 57 của UBND hạn khi nào?")
    assert task.note in answer.answer


def test_office_holder_question_needs_that_office(assistant: Assistant) -> None:
    # The 2024 plan names only its signer (a Vice Chairman), not the director of a department.
    answer = assistant.ask("Who is the director of the Department of Information and Communications in the 2024 plan?")
    assert answer.refused


def test_money_question_without_an_amount_is_refused(assistant: Assistant) -> None:
    assert assistant.ask("Người dân được hỗ trợ bao nhiêu tiền mua điện thoại thông minh theo kế hoạch 2024?").refused


def test_list_within_a_numbered_section(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Trong mục III.6 kế hoạch thực hiện NQ57 của UBND thành phố, Sở Nông nghiệp và Môi trường chủ trì những nhiệm vụ nào?"
    )
    expected = [
        t for t in assistant.data.tasks
        if t.doc_id == PLAN_NQ57_UBND and "Sở Nông nghiệp và Môi trường" in t.lead and ".III.6." in f".{t.section}."
    ]
    assert answer.mode == "structured" and len(expected) >= 3
    assert sorted(c["section"] for c in answer.citations) == sorted(t.section for t in expected)


def test_list_by_period_within_a_plan(assistant: Assistant) -> None:
    answer = assistant.ask("Những nhiệm vụ nào của Đề án chuyển đổi số có thời gian thực hiện 2021-2022?")
    cited = {c["section"] for c in answer.citations}
    due = {t.section for t in assistant.data.tasks if t.doc_id == DE_AN and t.deadline_end and "2021-01-01" <= t.deadline_end <= "2022-12-31"}
    assert answer.mode == "structured" and due and cited == due


def test_targets_of_the_2024_table(assistant: Assistant) -> None:
    answer = assistant.ask("Các chỉ tiêu do Sở Thông tin và Truyền thông chủ trì trong kế hoạch chuyển đổi số 2024?")
    sections = [c["section"] for c in answer.citations]
    assert answer.mode == "structured" and "II.II.3" in sections and len(sections) >= 20
    assert "Tỷ trọng Kinh tế số trong GRDP" in answer.answer and "22%" in answer.answer
