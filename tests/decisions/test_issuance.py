"""Issuance: numbers from the register, the frozen record, and the database guard."""

import datetime
import hashlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from decisions import numbering, permissions, services
from decisions.models import Decision, DecisionEvent, Recipient, Register
from tests.conftest import PIN

pytestmark = pytest.mark.django_db
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def test_issuing_takes_consecutive_numbers_from_the_issuers_register(
    records_clerk, signed_decision
):
    first = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    second = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    assert [first.reference, second.reference] == ["01/QĐ-UBND", "02/QĐ-UBND"]
    assert first.register == second.register
    assert first.register.last_number == 2
    assert numbering.find_gaps(first.register) == []


def test_issuance_freezes_what_was_printed_and_stores_the_pdf_with_its_hash(
    records_clerk, signed_decision, chair
):
    decision = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    assert decision.snapshot["signature_lines"] == ["CHỦ TỊCH"]
    assert decision.snapshot["issuer_lines"] == ["ỦY BAN NHÂN DÂN", "HUYỆN GIỒNG RIỀNG"]
    assert decision.snapshot["recipients"][-1] == "Lưu: VT, VP"
    with decision.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == decision.pdf_sha256
    # The chair is renamed later: the issued decision still prints as it was.
    chair.full_name, chair.title = "Người Khác", "CHỦ TỊCH MỚI"
    chair.save()
    from decisions import selectors

    assert selectors.pdf_context(decision).signature.name == decision.snapshot["signer_name"]
    kinds = list(decision.events.values_list("kind", flat=True))
    assert kinds[-3:] == [
        DecisionEvent.Kind.NUMBERED,
        DecisionEvent.Kind.SEALED,
        DecisionEvent.Kind.ISSUED,
    ]


def test_a_failed_seal_gives_the_number_back(records_clerk, signed_decision):
    decision = signed_decision()
    with (
        mock.patch("decisions.signing.pades.seal", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.issue_decision(pin=PIN, decision=decision, actor=records_clerk)
    decision.refresh_from_db()
    assert (decision.status, decision.number, decision.reference) == ("signed", None, "")
    assert not Register.objects.filter(last_number__gt=0).exists()
    assert services.issue_decision(pin=PIN, decision=decision, actor=records_clerk).number == 1


def test_the_year_rolls_over_at_midnight_on_1_january_vietnam_time(records_clerk, signed_decision):
    late = datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=VIETNAM)
    early = datetime.datetime(2027, 1, 1, 0, 0, 0, tzinfo=VIETNAM)
    with mock.patch("django.utils.timezone.now", return_value=late.astimezone(datetime.UTC)):
        december = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    with mock.patch("django.utils.timezone.now", return_value=early.astimezone(datetime.UTC)):
        january = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    assert (december.issued_on, december.register.year) == (datetime.date(2026, 12, 31), 2026)
    assert (january.issued_on, january.register.year, january.number) == (
        datetime.date(2027, 1, 1),
        2027,
        1,
    )


def test_a_confidential_decision_has_its_own_series(records_clerk, signed_decision):
    plain = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    secret = services.issue_decision(
        pin=PIN,
        decision=signed_decision(confidentiality=Decision.Confidentiality.SECRET),
        actor=records_clerk,
    )
    assert (plain.number, secret.number) == (1, 1)
    assert secret.register.confidential
    assert not plain.register.confidential


def test_a_new_years_register_keeps_the_number_format(records_clerk, signed_decision, issuer):
    Register.objects.create(
        issuer=issuer, series="QĐ", year=2000, number_format=Register.NumberFormat.WITH_YEAR
    )
    decision = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    year = timezone.localdate().year
    assert decision.reference == f"01/{year}/QĐ-UBND"


def test_a_normative_decision_is_numbered_with_the_year_of_issue(records_clerk, signed_decision):
    """A draft numbered with its year (read from "18/2009/QĐ-UBND", or set in the editor)
    prints that year while a draft and the year of issue once numbered."""
    from decisions import rendering, selectors
    from tests.decisions.test_rendering import text_of

    signed = signed_decision(number_year=2009)
    assert selectors.pdf_context(signed).symbol == "2009/QĐ-UBND"
    decision = services.issue_decision(pin=PIN, decision=signed, actor=records_clerk)
    year = timezone.localdate().year
    assert decision.reference == f"01/{year}/QĐ-UBND"
    with decision.pdf.open("rb") as stream:
        assert f"Số: 01/{year}/QĐ-UBND" in text_of(stream.read())
    assert f"Số: 01/{year}/QĐ-UBND" in text_of(rendering.render_decision_pdf(decision))


@pytest.mark.parametrize("persona", ["specialist", "chief_of_office", "chair"])
def test_only_the_records_clerk_issues(request, signed_decision, persona):
    decision = signed_decision()
    with pytest.raises(permissions.NotAllowed):
        services.issue_decision(pin=PIN, decision=decision, actor=request.getfixturevalue(persona))
    decision.refresh_from_db()
    assert decision.number is None


def test_a_decision_is_issued_only_once(records_clerk, signed_decision):
    decision = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    with pytest.raises(ValidationError, match="Đã ban hành"):
        services.issue_decision(pin=PIN, decision=decision, actor=records_clerk)
    assert Register.objects.get().last_number == 1


@pytest.fixture
def issued(records_clerk, signed_decision) -> Decision:
    return services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)


def test_services_refuse_to_change_an_issued_decision(issued, specialist, make_content):
    with pytest.raises(ValidationError):
        services.update_draft(actor=specialist, decision=issued, content=make_content(subject="X"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Sửa lén"),
        ("number", 99),
        ("reference", "99/QĐ-UBND"),
        ("pdf_sha256", "0" * 64),
        ("status", "draft"),
        ("authority_line", "KHÁC"),
    ],
)
def test_the_database_refuses_direct_updates_of_frozen_fields(issued, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=issued.pk).update(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE decisions_decision SET {field} = %s WHERE id = %s",  # noqa: S608
            [value, issued.pk],
        )
    issued.refresh_from_db()
    assert getattr(issued, field) != value


def test_the_database_refuses_deleting_an_issued_decision_or_changing_its_recipients(issued):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM decisions_decision WHERE id = %s", [issued.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.filter(decision=issued).update(text="Nơi khác")
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.create(decision=issued, position=99, text="Thêm")
    assert issued.recipients.count() == 3


def test_voiding_is_the_one_change_an_issued_decision_allows(issued, records_clerk):
    voided = services.void_decision(actor=records_clerk, decision=issued, reason="Sai thể thức")
    assert voided.status == Decision.Status.VOIDED
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=issued.pk).update(status=Decision.Status.ISSUED)
    assert numbering.find_gaps(voided.register) == []


def test_voiding_needs_a_reason(issued, records_clerk):
    with pytest.raises(ValidationError, match="Hãy nêu lý do"):
        services.void_decision(actor=records_clerk, decision=issued, reason=" ")


def test_the_freeze_guards_are_installed_after_every_migration():
    """A migration that rebuilds the decision table on SQLite drops its triggers silently."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert {"decisions_decision_frozen"} <= names
    expected = (
        {
            "decisions_decision_frozen_delete",
            "decisions_recipient_frozen_insert",
            "decisions_recipient_frozen_update",
            "decisions_recipient_frozen_delete",
        }
        if connection.vendor == "sqlite"
        else {"decisions_recipient_frozen"}
    )
    assert expected <= names


@pytest.mark.parametrize(("field", "value"), [("effect", "repeals"), ("verification_token", "x")])
def test_the_verification_code_and_the_amendment_link_are_frozen_too(issued, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=issued.pk).update(**{field: value})


def test_a_delivered_decision_cannot_be_voided_and_offers_recall_and_a_later_decision(
    act, seed_000_issued, records_clerk, specialist, client
):
    decision = seed_000_issued
    assert decision.deliveries.exists()
    client.force_login(records_clerk)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "/void/" not in page
    assert "/recall/" in page
    response = act(records_clerk, decision, "void", reason="Sai sót thể thức.")
    assert response.status_code == 400
    assert "đã được gửi tới nơi nhận" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.ISSUED
    client.force_login(specialist)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert f"affects={decision.pk}&amp;effect=amends" in page
    editor_page = client.get(
        f"/decisions/new/?issuer={decision.issuer_id}&affects={decision.pk}&effect=replaces"
    ).content.decode()
    assert "Về việc thay thế Quyết định số 01/QĐ-UBND" in editor_page
    assert f'name="affects" value="{decision.pk}"' in editor_page


def test_an_issued_decision_is_stored_once_and_seed_000_weighs_under_150_kb(seed_000_issued):
    """The sealed file holds the leader's signed revision; the separate copy goes (a worker
    deletes it once issuance commits), and the seal image (one ink) costs little."""
    from django_tasks_db.models import DBTaskResult

    from decisions.signing.verification import verify_pdf

    decision = seed_000_issued
    assert decision.signed_pdf.name == ""
    deleted = DBTaskResult.objects.get(task_path="decisions.jobs.delete_file")
    (leader_signed,) = deleted.args_kwargs["args"]
    assert leader_signed.startswith("signed/")
    assert not decision.pdf.storage.exists(leader_signed)
    assert decision.pdf.size <= 150 * 1024
    with decision.pdf.open("rb") as issued:
        report = verify_pdf(issued.read())
    assert [s.field for s in report.signatures][:2] == ["LanhDao", "ConDau"]
    assert all(s.intact for s in report.signatures)
