"""What the background workers keep: the e-mails they send, their heartbeats and the times
of scheduled jobs. The queue itself is django-tasks' database backend (`decisions.jobs`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One e-mail to one address, written in the transaction of the change it reports and
    sent by a worker: never lost (it is a row), never sent twice (`sent_at` is checked
    before sending, and the pair (key, address) is unique)."""

    key = models.CharField(
        _("cause"), max_length=64, help_text=_("The queued job that composed it.")
    )
    address = models.EmailField(_("address"))
    subject = models.CharField(_("e-mail subject"), max_length=300)
    body = models.TextField(_("message text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    gave_up_at = models.DateTimeField(_("gave up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "address"], name="one_mail_per_cause_address")
        ]

    def __str__(self) -> str:
        return f"{self.address}: {self.subject}"


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive every few seconds; the health check reads it, and
    the tasks of a worker that stopped beating are run again by another."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduledJob(models.Model):
    """When a job of `decisions.jobs.SCHEDULE` is next due; one worker enqueues it then."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
