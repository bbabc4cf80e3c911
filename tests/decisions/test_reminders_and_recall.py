"""Reminders on the Vietnamese working-day calendar, resending, and recall."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from decisions import calendar, services
from decisions.models import Decision, DecisionEvent, Delivery, Holiday

pytestmark = pytest.mark.django_db
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM)


def test_weekends_and_public_holidays_are_not_working_days():
    friday = datetime.date(2026, 11, 20)
    assert calendar.working_days_between(friday, datetime.date(2026, 11, 23)) == 1  # Monday
    Holiday.objects.create(date=datetime.date(2026, 11, 23), name="Nghỉ bù")
    assert calendar.working_days_between(friday, datetime.date(2026, 11, 24)) == 1
    assert calendar.working_days_between(friday, friday) == 0


def test_a_body_that_has_not_acknowledged_is_reminded_after_n_working_days_once(
    seed_000_issued,
    settings,
):
    settings.DECISIONS_REMINDER_WORKING_DAYS = 2
    friday = datetime.date(2026, 11, 20)
    Delivery.objects.filter(decision=seed_000_issued).update(sent_at=at(friday))
    mail.outbox.clear()
    monday = at(datetime.date(2026, 11, 23))  # one working day: the weekend is skipped
    assert services.send_reminders(now=monday) == []
    tuesday = at(datetime.date(2026, 11, 24))
    with mock.patch("django.utils.timezone.now", return_value=tuesday):
        out = StringIO()
        call_command("send_reminders", stdout=out)
        assert "4 lời nhắc" in out.getvalue()
        call_command("send_reminders", stdout=StringIO())  # twice: nothing more
    assert all(d.reminders == 1 for d in seed_000_issued.deliveries.all())
    assert seed_000_issued.events.filter(kind=DecisionEvent.Kind.REMINDED).count() == 4


def test_an_acknowledged_body_is_not_reminded(seed_000_issued, bodies, settings):
    settings.DECISIONS_REMINDER_WORKING_DAYS = 1
    services.acknowledge_delivery(actor=bodies["so-khcn"][1], decision=seed_000_issued)
    later = at(timezone.localdate() + datetime.timedelta(days=10))
    reminded = services.send_reminders(now=later)
    assert "so-khcn" not in {d.organization.code for d in reminded if d.organization}
    assert len(reminded) == 3


def test_the_clerk_resends_a_delivery(client, seed_000_issued, records_clerk, bodies, jobs_done):
    delivery = seed_000_issued.deliveries.get(organization=bodies["xa-thanh-hung"][0])
    mail.outbox.clear()
    client.force_login(records_clerk)
    with jobs_done():
        response = client.post(f"/decisions/{seed_000_issued.pk}/deliveries/{delivery.pk}/resend/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[bodies["xa-thanh-hung"][1].email]]
    client.force_login(bodies["xa-thanh-hung"][1])
    url = f"/decisions/{seed_000_issued.pk}/deliveries/{delivery.pk}/resend/"
    assert client.post(url).status_code == 403


def test_a_recall_reaches_the_receivers_and_shows_on_the_decision(
    client,
    act,
    seed_000_issued,
    records_clerk,
    bodies,
    jobs_done,
):
    mail.outbox.clear()
    with jobs_done():
        assert (
            act(records_clerk, seed_000_issued, "recall", reason="Ban hành nhầm.").status_code
            == 302
        )
    seed_000_issued.refresh_from_db()
    assert seed_000_issued.status == Decision.Status.RECALLED
    assert set(seed_000_issued.deliveries.values_list("status", flat=True)) == {"recalled"}
    assert any("Thu hồi" in m.subject for m in mail.outbox)
    client.force_login(bodies["so-khcn"][1])
    page = client.get(seed_000_issued.get_absolute_url()).content.decode()
    assert "Quyết định này đã bị thu hồi." in page
    assert "Ban hành nhầm." in page
    assert act(records_clerk, seed_000_issued, "recall", reason="Lần nữa").status_code == 400
