"""An answer rewritten to be heard: no citation marks or section codes, abbreviations spelled
out, and numbers and dates read the Vietnamese way ("tháng 6/2026" → "tháng sáu năm hai nghìn
không trăm hai mươi sáu")."""

from __future__ import annotations

import re

from assistant.voice.numbers import number_words

ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "KH&CN": "khoa học và công nghệ",
    "KHCN": "khoa học và công nghệ",
    "TT&TT": "thông tin và truyền thông",
    "CNTT": "công nghệ thông tin",
    "CĐS": "chuyển đổi số",
    "ĐMST": "đổi mới sáng tạo",
    "NQ/TW": "nghị quyết trung ương",
    "NQ-TW": "nghị quyết trung ương",
    "TP": "thành phố",
    "TW": "trung ương",
}
LETTERS = {"a": "a", "b": "bê", "c": "xê", "d": "dê", "đ": "đê", "e": "e", "g": "giê", "h": "hát", "i": "i", "k": "ca"}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_OCR_NOTE = re.compile(r"\(Văn bản gốc là bản quét[^)]*\)")


def for_speech(text: str, language: str = "vi") -> str:
    """``text`` as it should be spoken."""
    text = re.sub(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]", "", text)  # citation marks
    text = _OCR_NOTE.sub("", text)
    text = re.sub(r"\s*\((?:mục|section)\s+[^)]*\)", "", text)  # "(mục III.5.b)"
    text = re.sub(r"\s*…", ".", text)
    text = re.sub(r"\n\s*[-•]\s*", ". ", text)  # list items become sentences
    text = re.sub(r"\s*\n+\s*", ". ", text)
    if language != "vi":
        return _tidy(text)
    for short, long in ABBREVIATIONS.items():
        text = re.sub(rf"(?<![\w&/-]){re.escape(short)}(?![\w&])", long, text)
    text = re.sub(r"\b(\d+)/(?=[A-ZĐ][A-ZĐ-]+)[A-ZĐ-]+", r"số \1", text)  # "93/KH-UBND" → "số 93"
    text = text.replace("&", " và ")
    text = re.sub(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", lambda m: f"ngày {_n(m[1])} tháng {_n(m[2])} năm {_n(m[3])}", text)
    text = re.sub(r"\b(?:[Tt]háng\s+)?(\d{1,2})/(\d{4})\b", lambda m: _month(m), text)
    text = re.sub(r"\b([Qq]uý)\s+(IV|I{1,3}|[1-4])\s*/\s*(\d{4})\b", lambda m: f"{m[1]} {_n(str(ROMAN.get(m[2], m[2])))} năm {_n(m[3])}", text)
    text = re.sub(r"\b(\d{4})\s*[-–]\s*(\d{4})\b", lambda m: f"{_n(m[1])} đến {_n(m[2])}", text)
    text = re.sub(r"(\d+(?:[.,]\d+)?)\s*%", lambda m: f"{_decimal(m[1])} phần trăm", text)
    text = re.sub(r"\b(\d+)([a-gđ])\b", lambda m: f"{_n(m[1])} {LETTERS[m[2]]}", text)  # task "5b"
    text = re.sub(r"\b\d+,\d+\b", lambda m: _decimal(m[0]), text)
    text = re.sub(r"\b\d{1,3}(?:\.\d{3})+\b", lambda m: _n(m[0].replace(".", "")), text)  # 1.200 = 1200
    text = re.sub(r"\b\d+\b", lambda m: _n(m[0]), text)
    return _tidy(text)


def _month(match: re.Match[str]) -> str:
    month, year = int(match[1]), match[2]
    if not 1 <= month <= 12:
        return match[0]
    return f"tháng {_n(str(month))} năm {_n(year)}"


def _n(digits: str) -> str:
    return number_words(int(digits))


def _decimal(value: str) -> str:
    whole, _, fraction = value.replace(".", ",").partition(",")
    spoken = _n(whole)
    return f"{spoken} phẩy {' '.join(_n(d) for d in fraction)}" if fraction else spoken


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([.,:;])", r"\1", text)
    text = re.sub(r"([.:;])(?:\s*[.:;])+", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()
