"""Every step has a due time in working days from the lifecycle table (or the body's own),
shortened by urgency; inboxes sort and mark by it; overdue steps are reminded once; the time
spent in each step is kept."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from decisions import calendar, lifecycle, selectors, services
from decisions.models import Decision, Holiday, StepDeadline, StepRecord

pytestmark = pytest.mark.django_db
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
FRIDAY_4PM = datetime.datetime(2026, 11, 27, 16, 0, tzinfo=VIETNAM)


def test_working_days_skip_weekends_and_the_holidays_of_the_admin():
    assert calendar.add_working_days(FRIDAY_4PM, 1) == datetime.datetime(
        2026, 11, 30, 16, 0, tzinfo=VIETNAM
    )
    assert calendar.add_working_days(FRIDAY_4PM, 2).date() == datetime.date(2026, 12, 1)
    saturday = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=VIETNAM)
    # counted from Monday's morning: one working day later is Tuesday 08:00
    assert calendar.add_working_days(saturday, 1) == datetime.datetime(
        2026, 12, 1, 8, 0, tzinfo=VIETNAM
    )
    Holiday.objects.create(date=datetime.date(2026, 11, 30), name="Nghỉ bù")
    assert calendar.add_working_days(FRIDAY_4PM, 2).date() == datetime.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [
        ("", datetime.datetime(2026, 12, 1, 16, 0, tzinfo=VIETNAM)),  # 2 working days
        ("KHẨN", datetime.datetime(2026, 11, 30, 16, 0, tzinfo=VIETNAM)),  # half: 1 day
        ("THƯỢNG KHẨN", datetime.datetime(2026, 11, 30, 16, 0, tzinfo=VIETNAM)),
        ("HỎA TỐC", datetime.datetime(2026, 11, 27, 20, 0, tzinfo=VIETNAM)),  # within hours
    ],
)
def test_urgency_shortens_the_due_time_of_a_step(draft, urgency, expected):
    draft.urgency = urgency
    due = lifecycle.due_at(draft, Decision.Status.PROPOSAL, FRIDAY_4PM)
    assert due == expected


def test_a_body_sets_its_own_deadline_for_a_step(draft, issuer):
    StepDeadline.objects.create(
        organization=issuer, status=Decision.Status.PROPOSAL, working_days=5
    )
    assert lifecycle.due_days(draft, Decision.Status.PROPOSAL) == 5


def test_each_step_keeps_its_time_and_who_ended_it(act, draft, specialist, chief_of_office, chair):
    assert act(specialist, draft, "submit").status_code == 302
    assert act(chief_of_office, draft, "propose", signer=chair.pk).status_code == 302
    steps = list(draft.steps.order_by("started_at", "pk"))
    assert [s.status for s in steps] == [Decision.Status.PROPOSAL, Decision.Status.REVIEW]
    office, review = steps
    assert (office.finished_by, office.on_time) == (chief_of_office, True)
    assert (review.holder, review.finished_at) == (chair, None)
    assert review.due_at > review.started_at


def test_the_inbox_shows_due_times_soonest_first_and_marks_overdue(
    client, make_content, specialist, chief_of_office, issuer, act
):
    first = services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    second = services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    for decision in (first, second):
        assert act(specialist, decision, "submit").status_code == 302
    StepRecord.objects.filter(decision=second).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    waiting = selectors.inbox(chief_of_office)
    assert [d.pk for d in waiting] == [second.pk, first.pk]
    assert [d.due_state for d in waiting] == ["overdue", ""]
    client.force_login(chief_of_office)
    home = client.get("/").content.decode()
    assert "quá hạn" in home
    assert "Hạn xử lý" in home
    page = client.get(second.get_absolute_url()).content.decode()
    assert "due-overdue" in page


def test_overdue_steps_are_reminded_once(
    act, draft, specialist, chief_of_office, settings, jobs_done
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    chief_of_office.email = "cvp@example.vn"
    chief_of_office.save()
    assert act(specialist, draft, "submit").status_code == 302
    StepRecord.objects.filter(decision=draft).update(
        due_at=timezone.now() - datetime.timedelta(hours=2)
    )
    mail.outbox.clear()
    from django.core.management import call_command

    with jobs_done():
        call_command("send_reminders")
        call_command("send_reminders")  # a second run sends nothing more
    overdue = [m for m in mail.outbox if "Quá hạn" in m.subject]
    assert len(overdue) == 1
    assert overdue[0].to == ["cvp@example.vn"]


def test_a_hand_over_keeps_the_due_time_and_makes_it_the_other_leaders_move(
    act, draft, specialist, chief_of_office, vice_chair, chair
):
    Decision.objects.filter(pk=draft.pk).update(sector=vice_chair.sectors.get())
    assert act(specialist, draft, "submit").status_code == 302
    assert act(chief_of_office, draft, "propose", signer=vice_chair.pk).status_code == 302
    before = draft.steps.get(finished_at__isnull=True)
    assert act(vice_chair, draft, "hand-over", to=chair.pk).status_code == 302
    after = draft.steps.get(finished_at__isnull=True)
    assert (after.pk, after.due_at, after.holder) == (before.pk, before.due_at, chair)
