"""Numbers and dates said the Vietnamese way, and transcripts turned back into questions."""

from __future__ import annotations

import pytest

from assistant.voice.numbers import number_words, parse_number_words
from assistant.voice.speech_text import for_speech
from assistant.voice.spoken import written_question


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"), (5, "năm"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"), (24, "hai mươi bốn"),
        (105, "một trăm linh năm"), (110, "một trăm mười"), (2005, "hai nghìn không trăm linh năm"),
        (2026, "hai nghìn không trăm hai mươi sáu"), (2030, "hai nghìn không trăm ba mươi"),
        (1_200_000, "một triệu hai trăm nghìn"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words
    assert parse_number_words(words.split()) == n


def test_spoken_numbers_parse_back_for_every_value_up_to_3000() -> None:
    assert all(parse_number_words(number_words(n).split()) == n for n in range(3001))


def test_word_runs_that_are_not_numbers() -> None:
    assert parse_number_words("hai ba".split()) is None
    assert parse_number_words("trăm hai".split()) is None
    assert parse_number_words("không trăm".split()) is None


def test_answers_are_rewritten_to_be_heard() -> None:
    answer = (
        "Nhiệm vụ 5b (mục III.5.b) của Kế hoạch 23/KH-UBND (năm 2026): cung cấp ít nhất 02 danh mục dữ liệu mở …\n"
        "- Cơ quan chủ trì: UBND phường, xã [1]\n- Cơ quan phối hợp: Sở KH&CN [2]\n"
        "- Thời gian hoàn thành: Tháng 6/2026; báo cáo trước 30/6/2026, quý I/2026; giai đoạn 2026-2030; đạt 95,5%"
    )
    spoken = for_speech(answer)
    assert "[" not in spoken and "III.5.b" not in spoken and "/" not in spoken
    assert spoken.startswith("Nhiệm vụ năm bê của Kế hoạch số hai mươi ba (năm hai nghìn không trăm hai mươi sáu)")
    assert "ít nhất hai danh mục" in spoken
    assert "Ủy ban nhân dân phường" in spoken and "Sở khoa học và công nghệ" in spoken
    assert "tháng sáu năm hai nghìn không trăm hai mươi sáu" in spoken
    assert "ngày ba mươi tháng sáu năm" in spoken and "quý một năm" in spoken
    assert "hai nghìn không trăm hai mươi sáu đến hai nghìn không trăm ba mươi" in spoken
    assert "chín mươi lăm phẩy năm phần trăm" in spoken


def test_english_answers_only_lose_their_citation_marks() -> None:
    assert for_speech("Task 5b is led by the Department of Science [1].", "en") == "Task 5b is led by the Department of Science."


@pytest.mark.parametrize(
    ("heard", "asked"),
    [
        ("Ai chủ trì nhiệm vụ năm b của kế hoạch năm hai nghìn không trăm hai mươi sáu?", "Ai chủ trì nhiệm vụ 5b của kế hoạch năm 2026?"),
        ("Ai chủ trì nhiệm vụ, nằm bé, của kế hoạch", "Ai chủ trì nhiệm vụ, 5b, của kế hoạch"),  # tone misheard
        ("nhiệm vụ một xê kế hoạch chín mươi ba", "nhiệm vụ 1c kế hoạch 93"),
        ("những nhiệm vụ hạn tháng sáu năm hai nghìn không trăm hai mươi lăm", "những nhiệm vụ hạn tháng 6 năm 2025"),
        ("Năm nay có bao nhiêu nhiệm vụ", "Năm nay có bao nhiêu nhiệm vụ"),  # "năm" alone stays a word
        ("Ai chủ trì nhiệm vụ 5b năm 2026?", "Ai chủ trì nhiệm vụ 5b năm 2026?"),
    ],
)
def test_transcripts_get_their_numbers_written(heard: str, asked: str) -> None:
    assert written_question(heard) == asked
