"""Invariants the database itself guards, and the append-only history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions.models import Decision, DecisionEvent, Register, is_archive_entry
from tests.factories import RegisterFactory

pytestmark = pytest.mark.django_db


def number(decision: Decision, register: Register, value: int, **fields) -> None:
    Decision.objects.filter(pk=decision.pk).update(register=register, number=value, **fields)


def test_a_number_is_unique_within_its_register(draft, specialist, issuer, make_content):
    from decisions import services

    register = RegisterFactory.create(issuer=issuer)
    other = services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    number(draft, register, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        number(other, register, 1)


def test_the_same_number_may_repeat_in_another_years_register(
    draft, specialist, issuer, make_content
):
    from decisions import services

    other = services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    number(draft, RegisterFactory.create(issuer=issuer, year=2025), 1)
    number(other, RegisterFactory.create(issuer=issuer, year=2026), 1)


def test_an_issued_decision_must_carry_number_reference_and_dates(draft, issuer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=draft.pk).update(status=Decision.Status.ISSUED)
    register = RegisterFactory.create(issuer=issuer)
    Decision.objects.filter(pk=draft.pk).update(
        status=Decision.Status.ISSUED,
        register=register,
        number=1,
        reference="01/QĐ-UBND",
        issued_on=datetime.date(2026, 1, 2),
        issued_at=timezone.now(),
    )


def test_a_number_needs_a_register_and_starts_at_one(draft, issuer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=draft.pk).update(number=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        number(draft, RegisterFactory.create(issuer=issuer), 0)


def test_one_register_per_issuer_series_year_and_confidentiality(issuer):
    RegisterFactory.create(issuer=issuer, year=2026)
    RegisterFactory.create(issuer=issuer, year=2026, confidential=True)  # độ mật: its own series
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterFactory.create(issuer=issuer, year=2026)


def test_history_entries_cannot_be_changed_or_deleted(draft):
    event = draft.events.get()
    event.note = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert DecisionEvent.objects.get(pk=event.pk).note == ""


def test_the_symbol_joins_type_and_issuer_abbreviations(draft):
    assert draft.symbol == "QĐ-UBND"


def test_the_organisation_prints_its_authority_lines(issuer):
    assert issuer.individual_authority_line == "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG"
    assert issuer.collective_authority_line == "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG"
    assert issuer.name_lines == ["ỦY BAN NHÂN DÂN", "HUYỆN GIỒNG RIỀNG"]


@pytest.mark.parametrize(
    ("text", "archive"),
    [("Lưu: VT", True), ("Lưu: VT, TKISO", True), (" Lưu VT", True), ("Như Điều 4", False)],
)
def test_the_archive_entry_is_recognised(text, archive):
    assert is_archive_entry(text) is archive


@pytest.mark.parametrize(
    ("line", "authority"),
    [
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG", "individual"),
        ("  chủ tịch ủy ban nhân dân huyện giồng riềng", "individual"),
        ("ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG", "collective"),
    ],
)
def test_the_authority_line_tells_whose_authority_it_is(issuer, line, authority):
    assert issuer.authority_of(line) == authority


def test_without_a_head_title_every_line_is_collective(issuer):
    issuer.head_title = ""
    assert issuer.authority_of("CHỦ TỊCH ỦY BAN NHÂN DÂN") == "collective"
