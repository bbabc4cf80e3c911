"""Deadlines of the flow's steps per body, and the time each decision spent in each step."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from decisions.models.documents import (
    Decision,
)
from decisions.models.organisations import (
    Organization,
)


class StepDeadline(models.Model):
    """A body's own deadline for a step of the flow, in working days (replaces the default
    of decisions/lifecycle.py, STEPS)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="step_deadlines",
    )
    status = models.CharField(_("step"), max_length=20, choices=Decision.Status)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("step deadline")
        verbose_name_plural = _("step deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "status"], name="one_deadline_per_body_and_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_status_display()} ({self.working_days})"


class StepRecord(models.Model):
    """One stay of a decision in a step that waits for somebody: when it began, when it is
    due, when and by whom it ended. The on-time figures are computed from these rows."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="steps"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("step"), max_length=20, choices=Decision.Status)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose move"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The drafter or the signer; empty where the body's office or clerk holds it."),
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finished by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seconds = models.PositiveIntegerField(
        _("time spent (seconds)"),
        null=True,
        blank=True,
        help_text=_("Kept when the step ends, so that figures compare numbers, not dates."),
    )
    reminded_at = models.DateTimeField(_("overdue reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("step of a decision")
        verbose_name_plural = _("steps of decisions")
        indexes = [
            models.Index(fields=["organization", "finished_at"], name="step_body_finished"),
            models.Index(fields=["finished_at", "due_at"], name="step_open_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(finished_at__isnull=True),
                name="one_open_step_per_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.get_status_display()}"

    @property
    def on_time(self) -> bool | None:
        if self.finished_at is None:
            return None
        return self.finished_at <= self.due_at
