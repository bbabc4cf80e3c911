"""Numbers, symbols and dates as NĐ 30/2020/NĐ-CP prints them (Điều 15; Phụ lục I, II.3–4).

Lock order for every service that takes locks: viewflow process row (the flow's lock_impl),
then Decision, then Register.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from decisions import doctypes
from decisions.models import Decision, IssuedDocumentType, Register


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


def symbol_with_year(symbol: str, year: int | None) -> str:
    """What follows the number: "QĐ-UBND", or "2026/QĐ-UBND" when numbered with the year."""
    return f"{year}/{symbol}" if year else symbol


def printed_number_year(decision: Decision) -> int | None:
    """The year a decision's number carries: the issue year once numbered in a register with
    years or as a normative document, the draft's `number_year` before."""
    if decision.number is None:
        return decision.number_year
    with_year = decision.register is not None and (
        decision.register.number_format == Register.NumberFormat.WITH_YEAR
    )
    if (with_year or decision.number_year) and decision.issued_on:
        return decision.issued_on.year
    return None


def format_date_line(place: str, day: datetime.date) -> str:
    """The place and date line: "Giồng Riềng, ngày 02 tháng 01 năm 2019".

    Days below 10 and the months 1 and 2 take a leading zero; months 3–12 do not.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def widest_number(decision: Decision) -> str:
    """A sample of the widest number part the decision's register prints ("0000" or
    "0000/2026"), to size the number field of the PDF signed before numbering."""
    latest = (
        Register.objects.filter(
            issuer_id=decision.issuer_id,
            series=series_of(decision),
            confidential=bool(decision.confidentiality),
        )
        .order_by("-year")
        .first()
    )
    with_year = (
        latest.number_format
        if latest is not None
        else doctypes.of(decision.document_type).number_format
    ) == Register.NumberFormat.WITH_YEAR
    if decision.number_year is None and with_year:
        return "0000/0000"
    return "0000"


def register_for(*, decision: Decision, year: int) -> Register:
    """The register a decision is numbered in: its issuer, its type's series, the year of
    its issue date, and whether it is confidential (its own series, NĐ 30, Điều 15.2).

    A new year's register is opened on first use, with last year's number format.
    """
    key = {
        "issuer_id": decision.issuer_id,
        "series": series_of(decision),
        "confidential": bool(decision.confidentiality),
    }
    previous = Register.objects.filter(**key, year__lt=year).order_by("-year").first()
    register, _created = Register.objects.get_or_create(
        **key,
        year=year,
        defaults={
            "number_format": previous.number_format
            if previous
            else doctypes.of(decision.document_type).number_format
        },
    )
    return register


def series_of(decision: Decision) -> str:
    """The register series a decision is numbered in: the one its body chose for its type
    (IssuedDocumentType), else its type's own."""
    chosen = (
        IssuedDocumentType.objects.filter(
            organization_id=decision.issuer_id, document_type_id=decision.document_type_id
        )
        .exclude(series="")
        .values_list("series", flat=True)
        .first()
    )
    return chosen or decision.document_type.series


def allocate_number(*, register: Register) -> int:
    """Take the next number from the register (sổ đăng ký văn bản đi).

    The caller must be inside transaction.atomic() and save the number in that same
    transaction: a rollback then gives the number back, so the register never has gaps.
    Lock order: process -> decision -> register.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number() needs an enclosing transaction")
    locked = Register.objects.select_for_update().get(pk=register.pk)
    locked.last_number += 1
    locked.save(update_fields=["last_number"])
    return locked.last_number


def find_gaps(register: Register) -> list[int]:
    """Numbers given by the register that no decision carries (there should be none).
    One count when there is none, which is always (the numbers are unique)."""
    if register.decisions.filter(number__isnull=False).count() == register.last_number:
        return []
    taken = set(register.decisions.values_list("number", flat=True))
    return [number for number in range(1, register.last_number + 1) if number not in taken]
