"""An absent leader's waiting tasks pass to his substitute for the period, and come back after."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.status import STATUS

from decisions import jobs, selectors, services
from decisions.models import Absence, Decision, DecisionEvent, DelegationEvent
from tests.conftest import PIN
from workflow import driver, substitution

pytestmark = pytest.mark.django_db
Status = Decision.Status


def ok(response) -> None:
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.fixture
def absence(issuer, chair, vice_chair):
    def record(*, starts_in: int = -1, hours: int = 48) -> Absence:
        start = timezone.now() + datetime.timedelta(hours=starts_in)
        return services.record_absence(
            actor=None,
            absence=Absence(
                organization=issuer,
                leader=chair,
                substitute=vice_chair,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=hours),
                note="Đi công tác",
            ),
        )

    return record


def test_an_absent_chairs_waiting_review_passes_to_his_substitute_and_back_after(
    act, draft, specialist, chief_of_office, chair, vice_chair, absence
):
    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    away = absence()

    assert substitution.apply_absences() == {"passed": 1, "given_back": 0}
    draft.refresh_from_db()
    task = driver.active_task(draft)
    assert (draft.signer, task.owner, task.status) == (vice_chair, vice_chair, STATUS.ASSIGNED)
    assert list(selectors.decisions_awaiting(vice_chair)) == [draft]
    assert list(selectors.decisions_awaiting(chair)) == []
    moved = draft.events.get(kind=DecisionEvent.Kind.SUBSTITUTED)
    assert (moved.data["leader"], moved.data["substitute"]) == (chair.pk, vice_chair.pk)
    assert substitution.apply_absences()["passed"] == 0  # run again: nothing more

    after = away.ends_at + datetime.timedelta(minutes=1)
    assert substitution.apply_absences(after) == {"passed": 0, "given_back": 1}
    draft.refresh_from_db()
    task = driver.active_task(draft)
    assert (draft.signer, task.owner) == (chair, chair)
    assert draft.events.filter(kind=DecisionEvent.Kind.SUBSTITUTION_ENDED).count() == 1
    ok(act(chair, draft, "review", sign_now="on", pin=PIN))
    kinds = set(DelegationEvent.objects.values_list("kind", flat=True))
    assert kinds == {"absence_recorded", "absence_closed"}


def test_a_draft_proposed_to_an_absent_chair_goes_to_his_substitute_who_signs_kt(
    act, draft, specialist, chief_of_office, chair, vice_chair, absence
):
    absence()
    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    draft.refresh_from_db()
    assert draft.signer == vice_chair
    assert driver.active_task(draft).owner == vice_chair
    ok(act(vice_chair, draft, "review", sign_now="on", pin=PIN))
    draft.refresh_from_db()
    assert draft.status == Status.SIGNED
    signed = draft.events.get(kind=DecisionEvent.Kind.SIGNED)
    assert signed.data["signature_lines"] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_a_decision_the_substitute_approved_stays_his_to_sign_after_the_absence(
    act, draft, specialist, chief_of_office, chair, vice_chair, absence
):
    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    away = absence()
    substitution.apply_absences()
    ok(act(vice_chair, draft, "review"))
    substitution.apply_absences(away.ends_at + datetime.timedelta(minutes=1))
    draft.refresh_from_db()
    assert (draft.status, draft.signer) == (Status.SIGNATURE, vice_chair)
    assert driver.active_task(draft).owner == vice_chair


def test_a_future_absence_moves_nothing_yet_and_the_scheduler_runs_it(
    act, draft, specialist, chief_of_office, chair, absence
):
    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    absence(starts_in=5)
    assert substitution.apply_absences() == {"passed": 0, "given_back": 0}
    draft.refresh_from_db()
    assert draft.signer == chair
    assert jobs.SCHEDULE["absences"].job is substitution.substitute_absent_leaders
    local = timezone.get_current_timezone()
    at = datetime.datetime(2026, 12, 1, 9, 40, tzinfo=local)
    assert jobs.SCHEDULE["absences"].next_after(at) == at.replace(hour=10, minute=30)
    assert substitution.every_half_past(at.replace(minute=10)) == at.replace(minute=30)


def test_a_substitute_must_be_a_leader_of_the_body(issuer, chair, chief_of_office):
    start = timezone.now()
    with pytest.raises(ValidationError):
        services.record_absence(
            actor=None,
            absence=Absence(
                organization=issuer,
                leader=chair,
                substitute=chief_of_office,
                starts_at=start,
                ends_at=start + datetime.timedelta(days=1),
            ),
        )
    assert not Absence.objects.exists()


def test_the_admin_records_an_absence_and_the_waiting_review_passes_at_once(
    client, act, issuer, draft, specialist, chief_of_office, chair, vice_chair
):
    from tests.factories import UserFactory

    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    now = timezone.localtime()
    later = now + datetime.timedelta(days=3)
    response = client.post(
        "/admin/decisions/absence/add/",
        {
            "organization": issuer.pk,
            "leader": chair.pk,
            "substitute": vice_chair.pk,
            "starts_at_0": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d"),
            "starts_at_1": "00:00:00",
            "ends_at_0": later.strftime("%Y-%m-%d"),
            "ends_at_1": "17:00:00",
            "note": "Đi công tác",
        },
    )
    ok(response)
    absence = Absence.objects.get()
    assert absence.recorded_by == admin
    draft.refresh_from_db()
    assert draft.signer == vice_chair
    assert driver.active_task(draft).owner == vice_chair
    assert "Đi công tác" in draft.events.get(kind=DecisionEvent.Kind.SUBSTITUTED).note
    assert client.get("/admin/decisions/absence/").status_code == 200
