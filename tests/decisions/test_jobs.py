"""Background jobs: side effects queued with the change that causes them, run by workers,
retried with back-off, and never done twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from decisions import jobs, services
from decisions.models import OutgoingMail, ScheduledJob, WorkerHeartbeat
from tests.mailserver import mail_server


def in_seconds(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


@pytest.fixture
def smtp(settings):
    def use(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5

    return use


def returned(draft_in_office, chief_of_office):
    return services.return_for_revision(
        actor=chief_of_office, decision=draft_in_office, reason="Bổ sung căn cứ."
    )


@pytest.fixture
def proposal(draft, specialist):
    return services.submit_draft(actor=specialist, decision=draft)


def test_a_change_queues_its_email_and_a_worker_sends_it(proposal, chief_of_office, specialist):
    mail.outbox.clear()
    returned(proposal, chief_of_office)
    assert mail.outbox == []  # nothing is sent inside the request
    assert DBTaskResult.objects.filter(task_path="decisions.jobs.notify").count() == 1
    jobs.run_ready()
    assert [m.to for m in mail.outbox] == [[specialist.email]]
    sent = OutgoingMail.objects.get()
    assert sent.sent_at is not None
    assert sent.attempts == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<decisions-mail-{sent.pk}@")


def test_a_change_that_fails_queues_nothing(signed_decision, records_clerk):
    before = DBTaskResult.objects.count()
    with pytest.raises(Exception):  # noqa: B017, PT011 - the wrong PIN's refusal
        services.issue_decision(actor=records_clerk, decision=signed_decision, pin="000000")
    assert DBTaskResult.objects.count() == before


def test_a_refused_email_is_tried_again_later_and_arrives_exactly_once(
    proposal, chief_of_office, specialist, smtp, settings
):
    settings.DECISIONS_MAIL_RETRY_SECONDS = 60
    with mail_server(refuse=2) as (port, server):
        smtp(port)
        returned(proposal, chief_of_office)
        jobs.run_ready()  # composed, then refused once: deferred by a minute
        row = OutgoingMail.objects.get()
        assert (row.sent_at, row.attempts, server.received) == (None, 1, [])
        assert "451" in row.last_error
        deferred = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        delay = (deferred.run_after - timezone.now()).total_seconds()
        assert 55 < delay <= 60
        assert jobs.run_ready() == 0  # not before its time
        jobs.run_ready(at=in_seconds(61))  # refused again: two minutes now
        deferred = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert 115 < (deferred.run_after - timezone.now()).total_seconds() <= 120
        jobs.run_ready(at=in_seconds(121))  # accepted
        assert jobs.run_ready(at=in_seconds(3600)) == 0  # nothing left, nothing sent again
    assert server.addresses() == [specialist.email]
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (3, "")


def test_an_email_that_keeps_failing_is_given_up_and_kept_with_its_error(
    proposal, chief_of_office, smtp, settings
):
    settings.DECISIONS_MAIL_ATTEMPTS = 3
    with mail_server(refuse=10) as (port, server):
        smtp(port)
        returned(proposal, chief_of_office)
        for hours in range(1, 6):
            jobs.run_ready(at=in_seconds(hours * 3600))
    row = OutgoingMail.objects.get()
    assert (row.attempts, row.sent_at, server.received) == (3, None, [])
    assert row.gave_up_at is not None
    assert "451" in row.last_error


def test_a_job_run_twice_sends_each_email_once(proposal, chief_of_office, specialist):
    mail.outbox.clear()
    returned(proposal, chief_of_office)
    compose = DBTaskResult.objects.get(task_path="decisions.jobs.notify")
    jobs.run_ready()
    # As if the worker died after the effect but before marking it done: run it again.
    DBTaskResult.objects.filter(pk=compose.pk).update(status=TaskResultStatus.READY)
    sends = DBTaskResult.objects.filter(task_path="decisions.jobs.send_mail")
    sends.update(status=TaskResultStatus.READY)
    jobs.run_ready()
    assert OutgoingMail.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[specialist.email]]


def test_a_task_left_running_by_a_dead_worker_runs_again_and_a_living_ones_is_left(db, settings):
    settings.DECISIONS_WORKER_STALE_SECONDS = 60
    now = timezone.now()
    long_ago = now - datetime.timedelta(minutes=5)
    jobs.beat("alive", long_ago)
    WorkerHeartbeat.objects.filter(worker_id="alive").update(seen_at=now)
    jobs.beat("dead", long_ago)
    WorkerHeartbeat.objects.filter(worker_id="dead").update(seen_at=long_ago)
    tasks = {}
    for worker in ("alive", "dead", "never-beat"):
        result = jobs.delete_file.enqueue(f"{worker}.pdf")
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=[worker]
        )
        tasks[worker] = result.id
    # A worker restarted under the same id (systemd's) since the task began did not run it.
    jobs.beat("restarted", now - datetime.timedelta(seconds=30))
    result = jobs.delete_file.enqueue("restarted.pdf")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["restarted"]
    )
    tasks["restarted"] = result.id
    assert sorted(jobs.recover_abandoned(now)) == sorted(
        [str(tasks["dead"]), str(tasks["never-beat"]), str(tasks["restarted"])]
    )
    status = {str(pk): value for pk, value in DBTaskResult.objects.values_list("pk", "status")}
    assert status[tasks["alive"]] == TaskResultStatus.RUNNING
    assert status[tasks["dead"]] == TaskResultStatus.READY


def test_a_task_that_killed_its_worker_five_times_is_failed_not_run_again(db):
    result = jobs.delete_file.enqueue("poison.pdf")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
        worker_ids=[f"w{n}" for n in range(jobs.MAX_RECOVERIES)],
    )
    assert jobs.recover_abandoned() == []
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED


def test_reminders_are_enqueued_hourly_in_working_hours_once_whatever_the_workers(db):
    local = timezone.get_current_timezone()
    evening = datetime.datetime(2026, 11, 30, 18, 20, tzinfo=local)
    assert jobs.every_working_hour(evening) == datetime.datetime(2026, 12, 1, 7, 0, tzinfo=local)
    morning = datetime.datetime(2026, 12, 1, 9, 40, tzinfo=local)
    assert jobs.every_working_hour(morning) == datetime.datetime(2026, 12, 1, 10, 0, tzinfo=local)

    assert jobs.enqueue_due_schedules(morning) == []  # first sight: due at 10:00
    at_ten = morning.replace(hour=10, minute=0, second=5)
    assert jobs.enqueue_due_schedules(at_ten) == ["reminders"]
    assert jobs.enqueue_due_schedules(at_ten) == []  # a second worker at the same time
    assert DBTaskResult.objects.filter(task_path="decisions.jobs.send_reminders").count() == 1
    reminders = ScheduledJob.objects.get(name="reminders")
    assert reminders.next_run_at == at_ten.replace(hour=11, second=0)
    jobs.run_ready()
    finished = DBTaskResult.objects.get(task_path="decisions.jobs.send_reminders")
    assert finished.status == TaskResultStatus.SUCCESSFUL
    assert finished.return_value == {"deliveries": 0, "steps": 0, "incoming": 0}


def test_finished_jobs_and_long_gone_workers_are_pruned_every_night_the_recent_ones_kept(db):
    local = timezone.get_current_timezone()
    evening = datetime.datetime(2026, 12, 1, 21, 0, tzinfo=local)
    assert jobs.SCHEDULE["prune-jobs"].next_after(evening) == datetime.datetime(
        2026, 12, 2, 2, 0, tzinfo=local
    )
    old = jobs.delete_file.enqueue("old.pdf")
    recent = jobs.delete_file.enqueue("recent.pdf")
    jobs.run_ready()
    DBTaskResult.objects.filter(pk=old.id).update(
        finished_at=timezone.now() - datetime.timedelta(days=40)
    )
    jobs.beat("gone", timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(days=8))
    jobs.beat("here", timezone.now())
    jobs.prune_finished_jobs.call()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [
        DBTaskResult.objects.get(pk=recent.id).pk
    ]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["here"]
