"""Background work on Django's tasks API (the django-tasks backport, database backend: one
engine on SQLite and PostgreSQL, workers on any number of machines, the same code on
Django 6).

- Side effects are enqueued in the transaction that causes them (`notifications.enqueue`,
  `delete_file.enqueue`): a rolled-back change leaves no job, a committed one always has its.
- `manage.py worker` runs them (django-tasks' worker loop) and, beside it, a keeper thread
  that beats for the health check, runs again the task of a worker that died mid-task, and
  enqueues the scheduled jobs of SCHEDULE when due.
- Every task is idempotent: run twice, its effect happens once.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max

from decisions.models import OutgoingMail, ScheduledJob, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task whose worker died this many times is given up (it may be what kills them).
MAX_RECOVERIES = 5


# --- Tasks -----------------------------------------------------------------------------------


@task(takes_context=True)
def notify(context: TaskContext, kind: str, ids: dict[str, object]) -> int:
    """Compose the e-mails of `kind` and queue one send per address; returns how many.
    Run again, it finds its rows (keyed by this job's id) and queues nothing twice."""
    from decisions import notifications

    key = str(context.task_result.id)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        mails = notifications.KINDS[kind](**ids)
        for mail in mails:
            queue_mail(key=key, address=mail.address, subject=mail.subject, body=mail.body)
    return len(mails)


def queue_mail(*, key: str, address: str, subject: str, body: str) -> None:
    """Queue one e-mail in the caller's transaction; the pair (key, address) is sent once."""
    row, created = OutgoingMail.objects.get_or_create(
        key=key, address=address, defaults={"subject": subject[:300], "body": body}
    )
    if created:
        send_mail.enqueue(row.pk)


@task()
def send_mail(mail_id: int) -> str:
    """Send one e-mail unless it was sent; a refusal is tried again later, with back-off."""
    mail = OutgoingMail.objects.get(pk=mail_id)
    if mail.sent_at or mail.gave_up_at:
        return "already done"
    domain = urlsplit(settings.DECISIONS_BASE_URL).hostname or "localhost"
    message = EmailMessage(
        mail.subject,
        mail.body,
        to=[mail.address],
        # The same id at every attempt: a mail system that saw it once drops a repeat.
        headers={"Message-ID": f"<decisions-mail-{mail.pk}@{domain}>"},
    )
    try:
        message.send()
    except Exception as error:
        return _retry_later(mail, error)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), attempts=mail.attempts + 1, last_error=""
    )
    return "sent"


def _retry_later(mail: OutgoingMail, error: Exception) -> str:
    attempts = mail.attempts + 1
    now = timezone.now()
    with transaction.atomic():
        if attempts >= settings.DECISIONS_MAIL_ATTEMPTS:
            OutgoingMail.objects.filter(pk=mail.pk).update(
                attempts=attempts, last_error=str(error)[:2000], gave_up_at=now
            )
            logger.error(
                "Gave up sending e-mail %s after %s attempts: %s", mail.pk, attempts, error
            )
            return "gave up"
        OutgoingMail.objects.filter(pk=mail.pk).update(
            attempts=attempts, last_error=str(error)[:2000]
        )
        delay = settings.DECISIONS_MAIL_RETRY_SECONDS * 2 ** (attempts - 1)
        send_mail.using(run_after=now + datetime.timedelta(seconds=delay)).enqueue(mail.pk)
    logger.warning("E-mail %s refused (%s); trying again in %.0f s", mail.pk, error, delay)
    return "retry"


# --- Document exchange (decisions/exchange/transport.py, status.py) ---


@task()
def send_package(package_id: int) -> str:
    """Post one edXML package to its partner (retried with back-off while it is down)."""
    from decisions.exchange import transport

    return transport.send_package(package_id)


@task()
def send_status(status_id: int) -> str:
    """Send one status message about a document received by exchange (retried)."""
    from decisions.exchange import status

    return status.send_status(status_id)


# ---


@task()
def delete_file(name: str) -> None:
    """Remove a stored file no row points to any more, and its pending copy if it was never
    moved (idempotent: a missing file is fine)."""
    from decisions import files

    files.delete(name, storage=default_storage)


@task()
def send_reminders() -> dict[str, int]:
    """The scheduled reminders: bodies that have not acknowledged, steps past due."""
    from decisions import services
    from decisions.services.incoming import remind_overdue_incoming

    return {
        "deliveries": len(services.send_reminders()),
        "steps": len(services.remind_overdue_steps()),
        "incoming": len(remind_overdue_incoming()),
    }


@task()
def anchor_history() -> list[str]:
    """The daily anchors of the history that are due (every finished day since the last)."""
    from decisions import anchors

    return [str(path) for path in anchors.anchor_due()]


@task()
def prune_finished_jobs() -> None:
    """The queue's own rows of jobs finished more than 30 days ago (failed ones after 90) go,
    and workers not seen for a week; the outgoing e-mails, the history and the deliveries
    stay."""
    from django.core.management import call_command

    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - datetime.timedelta(days=7)).delete()

    call_command(
        "prune_db_task_results",
        "--min-age-days",
        "30",
        "--failed-min-age-days",
        "90",
        verbosity=0,
    )


# --- Schedules -------------------------------------------------------------------------------


def every_working_hour(now: datetime.datetime) -> datetime.datetime:
    """The next full hour from 07:00 to 17:00, local time (people read reminders at work)."""
    local = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    candidate = local + datetime.timedelta(hours=1)
    if candidate.hour < 7:
        candidate = candidate.replace(hour=7)
    elif candidate.hour > 17:
        candidate = (candidate + datetime.timedelta(days=1)).replace(hour=7)
    return candidate


@dataclass(frozen=True)
class Schedule:
    job: Task[[], Any]
    next_after: Callable[[datetime.datetime], datetime.datetime]


def nightly(hour: int, minute: int = 0) -> Callable[[datetime.datetime], datetime.datetime]:
    """The next hour:minute, local time."""

    def next_after(now: datetime.datetime) -> datetime.datetime:
        local = timezone.localtime(now)
        candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return candidate if candidate > local else candidate + datetime.timedelta(days=1)

    return next_after


@task()
def sweep_files() -> dict[str, int]:
    """Stored files no row points to, older than a day, go (what a crash or a rollback left);
    files whose row committed but whose move did not happen are moved."""
    from decisions import files

    removed, moved = files.sweep(older_than=datetime.timedelta(days=1))
    return {"removed": len(removed), "moved": len(moved)}


SCHEDULE = {
    "reminders": Schedule(send_reminders, every_working_hour),
    "anchor-history": Schedule(anchor_history, nightly(0, 30)),  # the day before is over
    "prune-jobs": Schedule(prune_finished_jobs, nightly(2)),
    "sweep-files": Schedule(sweep_files, nightly(3)),
}


def enqueue_due_schedules(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each scheduled job that is due, once whatever the number of workers."""
    now = now or timezone.now()
    enqueued = []
    for name, schedule in SCHEDULE.items():
        with suppress(IntegrityError):  # another worker may create it at the same moment
            ScheduledJob.objects.get_or_create(
                name=name, defaults={"next_run_at": schedule.next_after(now)}
            )
        with transaction.atomic():
            row = ScheduledJob.objects.select_for_update().get(name=name)
            if row.next_run_at > now:
                continue
            schedule.job.enqueue()
            row.next_run_at = schedule.next_after(now)
            row.last_enqueued_at = now
            row.save(update_fields=["next_run_at", "last_enqueued_at"])
            enqueued.append(name)
    return enqueued


# --- Workers ---------------------------------------------------------------------------------


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def alive_workers(now: datetime.datetime | None = None) -> list[WorkerHeartbeat]:
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.DECISIONS_WORKER_STALE_SECONDS)
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=stale))


def recover_abandoned(now: datetime.datetime | None = None) -> list[str]:
    """Tasks left running by a worker that stopped beating are made ready again (or, after
    MAX_RECOVERIES deaths, failed)."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.DECISIONS_WORKER_STALE_SECONDS)
    # A worker restarted under the same id (a systemd unit's) is alive but did not start
    # the task: its start time tells.
    alive = {heartbeat.worker_id: heartbeat.started_at for heartbeat in alive_workers(now)}
    recovered = []
    for result in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=stale
    ):
        runner = result.worker_ids[-1] if result.worker_ids else None
        if runner in alive and alive[runner] <= result.started_at:
            continue  # a long task of a living worker
        with transaction.atomic():
            changed = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            )
            if len(result.worker_ids) >= MAX_RECOVERIES:
                changed.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path="decisions.jobs.WorkerDied",
                    traceback=f"The worker died {len(result.worker_ids)} times running it.",
                )
            elif changed.update(status=TaskResultStatus.READY, started_at=None):
                recovered.append(str(result.pk))
                logger.warning("Task %s was abandoned by a dead worker; it runs again", result.pk)
    return recovered


class Worker(db_worker.Worker):
    """django-tasks' database worker, with a keeper thread beside its loop."""

    def run(self) -> None:
        started_at = timezone.now()
        beat(self.worker_id, started_at)
        keeper = threading.Thread(target=self._keep, args=(started_at,), daemon=True)
        keeper.start()
        try:
            super().run()
        finally:
            self.running = False

    def _keep(self, started_at: datetime.datetime) -> None:
        wake = threading.Event()
        while self.running:
            try:
                beat(self.worker_id, started_at)
                recover_abandoned()
                enqueue_due_schedules()
            except Exception:
                logger.exception("The worker's keeper failed; it tries again")
            finally:
                close_old_connections()
            wake.wait(settings.DECISIONS_WORKER_BEAT_SECONDS)


def run_ready(*, at: datetime.datetime | None = None) -> int:
    """Run queued tasks in this process, as a worker would, until none is due (tests, and
    the `at` of a test's clock: tasks deferred to `at` or earlier are due)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with transaction.atomic():
            due = Q(run_after=get_date_max()) | Q(run_after__lte=at or timezone.now())
            ready = DBTaskResult.objects.filter(due, status=TaskResultStatus.READY)
            result = ready.get_locked()
            if result is None:
                return count
            result.claim(worker.worker_id)
        worker.run_task(result)
        count += 1
