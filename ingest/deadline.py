"""Normalise deadline text ("Tháng 6/2026", "Quý IV/2026", "Näm 2026") to a date range."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ingest.text import fold


@dataclass(frozen=True)
class Deadline:
    """A deadline as written, its clean display form and the date range it covers."""

    text: str
    display: str
    start: date | None
    end: date | None


_QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(20\d\d)"


def _month_range(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def _quarter(token: str) -> int | None:
    token = token.lower().replace("l", "i").replace("1", "i").strip("/ ")
    if token in _ROMAN_Q:
        return _ROMAN_Q[token]
    if token.isdigit() and 1 <= int(token) <= 4:
        return int(token)
    return None


def parse_deadline(text: str) -> Deadline:
    """Parse the first date expression in ``text``; unknown forms keep ``start``/``end`` None."""
    raw = text.strip().rstrip(".;")
    folded = fold(raw)
    folded = re.sub(r"\s+", " ", folded)

    # Exact day: "30/6/2026", "ngày 15/12/2026".
    match = re.search(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*" + _YEAR, folded)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            when = date(year, month, day)
            prefix = "Trước ngày" if "truoc" in folded else "Ngày"
            return Deadline(raw, f"{prefix} {day:02d}/{month:02d}/{year}", when, when)
        except ValueError:
            pass

    # Quarter: "Quý II/2026", OCR "Qu 112026" ("I/" read as "11"), "quý 4 năm 2026".
    match = re.search(r"\bqu\w{0,2}\s*([ivx1l]{1,4}|[1-4])\s*(?:/|nam\s)?\s*" + _YEAR, folded)
    if match:
        token = match.group(1)
        if len(token) >= 2 and set(token) <= {"1", "l"}:
            token = token[:-1]  # the last "1" was the slash
        quarter = _quarter(token)
        if quarter:
            year = int(match.group(2))
            first, last = _QUARTERS[quarter]
            start, end = _month_range(year, first, last)
            roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[quarter]
            return Deadline(raw, f"Quý {roman}/{year}", start, end)

    # Half year: "6 tháng đầu năm 2026", "6 tháng cuối năm 2026".
    match = re.search(r"6 thang (dau|cuoi) nam " + _YEAR, folded)
    if match:
        year = int(match.group(2))
        first, last = (1, 6) if match.group(1) == "dau" else (7, 12)
        start, end = _month_range(year, first, last)
        return Deadline(raw, f"6 tháng {'đầu' if first == 1 else 'cuối'} năm {year}", start, end)

    # Month: "Tháng 6/2026", "tháng 06 năm 2026", "T6/2026".
    match = re.search(r"\b(?:th\w{0,3}g|t)\s*(\d{1,2})\s*(?:/|nam)\s*" + _YEAR, folded)
    if match and 1 <= int(match.group(1)) <= 12:
        month, year = int(match.group(1)), int(match.group(2))
        start, end = _month_range(year, month, month)
        return Deadline(raw, f"Tháng {month}/{year}", start, end)

    # Year range: "2026 - 2030", "giai đoạn 2026-2030".
    match = re.search(_YEAR + r"\s*[-–]\s*" + _YEAR, folded)
    if match:
        first_year, last_year = int(match.group(1)), int(match.group(2))
        if first_year <= last_year:
            return Deadline(
                raw, f"{first_year}–{last_year}", date(first_year, 1, 1), date(last_year, 12, 31)
            )

    # Year: "Năm 2026", OCR "Näm 2026", "trong năm 2026", "2026".
    match = re.search(r"\b" + _YEAR + r"\b", folded)
    if match:
        year = int(match.group(1))
        return Deadline(raw, f"Năm {year}", date(year, 1, 1), date(year, 12, 31))

    if re.search(r"thuong xuyen|hang nam|hang quy|hang thang|lien tuc", folded):
        return Deadline(raw, raw[:1].upper() + raw[1:], None, None)
    return Deadline(raw, raw, None, None)
