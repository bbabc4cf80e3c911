"""Numbers, symbols and dates as NĐ 30/2020/NĐ-CP prints them (Điều 15; Phụ lục I, II.3–4).

Lock order for every service that takes locks: viewflow process row (the flow's lock_impl),
then Decision, then Register.
"""

from __future__ import annotations

import datetime

from decisions.models import Register


def format_number(number: int) -> str:
    """Numbers below 10 take a leading zero: 1 -> "01", 93 -> "93"."""
    if number < 1:
        raise ValueError("A document number starts at 1.")
    return f"{number:02d}"


def format_reference(*, number: int, symbol: str, year: int, number_format: str) -> str:
    """Số, ký hiệu: "01/QĐ-UBND", or "17/2016/QĐ-UBND" for legal normative documents."""
    if number_format == Register.NumberFormat.WITH_YEAR:
        return f"{format_number(number)}/{year}/{symbol}"
    return f"{format_number(number)}/{symbol}"


def format_date_line(place: str, day: datetime.date) -> str:
    """The place and date line: "Giồng Riềng, ngày 02 tháng 01 năm 2019".

    Days below 10 and the months 1 and 2 take a leading zero; months 3–12 do not.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
