"""Delegated and acting signatures (NĐ 30/2020/NĐ-CP, Điều 13; Phụ lục I, II.7.b), absences
of leaders with their substitutes, and the append-only record of both.

A `Delegation` lets someone sign with the head's authority of a body: "TL." (thừa lệnh: the
head of a unit, e.g. the Chánh Văn phòng), "TUQ." (thừa ủy quyền: written, time-boxed, never
re-delegated) or "Q." (quyền: an acting head, an appointment). The rules that read them are in
decisions/delegation.py; the verbs in decisions/services/delegation.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.models.documents import Decision
from decisions.models.organisations import Organization, Sector
from decisions.models.registers import DocumentType


class Delegation(models.Model):
    """Who may sign with the head's authority of `organization`, in which form, for what, when."""

    class Kind(models.TextChoices):
        # Values are printed verbatim before the head's title ("TL. CHỦ TỊCH").
        BY_ORDER = "TL.", _("By order (TL.)")
        BY_AUTHORITY = "TUQ.", _("By authorisation (TUQ.)")
        ACTING = "Q.", _("Acting head (Q.)")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="delegations",
        help_text=_("The body whose head's authority is delegated."),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind)
    grantor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations_granted",
        help_text=_(
            "The head who delegates; empty: the body's collective leadership (e.g. an acting "
            "head appointed while the post is vacant)."
        ),
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="delegations_held",
    )
    delegate_title = models.CharField(
        _("title printed under it"),
        max_length=150,
        blank=True,
        help_text=_(
            "TL./TUQ.: the delegate's title as printed, e.g. CHÁNH VĂN PHÒNG; empty: his title."
        ),
    )
    sectors = models.ManyToManyField(
        Sector,
        verbose_name=_("fields"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every field."),
    )
    document_types = models.ManyToManyField(
        DocumentType,
        verbose_name=_("document types"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every type."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Required for TUQ. (a time-boxed authorisation)."),
    )
    document_reference = models.CharField(
        _("authorising document"),
        max_length=300,
        help_text=_("E.g. Quyết định số 12/QĐ-UBND ngày 05/01/2026 về việc ủy quyền …"),
    )
    document = models.ForeignKey(
        Decision,
        verbose_name=_("authorising decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)
    end_reason = models.CharField(_("reason it ended"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["organization", "-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="delegation_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.organization.head_title} — {self.delegate}"

    def clean(self) -> None:
        """Single-row rules: dates, a time limit for TUQ., no delegation to oneself."""
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date comes before the start date.")
        if self.kind == self.Kind.BY_AUTHORITY and not self.ends_on:
            errors["ends_on"] = _(
                "An authorisation (TUQ.) is given for a limited time: set its end."
            )
        if self.grantor_id and self.grantor_id == self.delegate_id:
            errors["delegate"] = _("Nobody delegates to himself.")
        if errors:
            raise ValidationError(errors)

    @property
    def printed_title(self) -> str:
        """The line under "TL. CHỦ TỊCH" / "TUQ. CHỦ TỊCH": the delegate's title."""
        return (self.delegate_title.strip() or self.delegate.title.strip()).upper()

    def covers_day(self, day: Any) -> bool:
        return (
            self.ended_at is None
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )


class Absence(models.Model):
    """A leader away from–to; what waits for his signature goes to `substitute` meanwhile, and
    comes back after (workflow/substitution.py moves the tasks)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="absences"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="absences",
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.PROTECT,
        related_name="substitutions",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(
        _("tasks given back at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the tasks still waiting went back to the leader."),
    )

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.substitute}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end comes before the start.")
        if self.leader_id and self.leader_id == self.substitute_id:
            errors["substitute"] = _("The substitute must be someone else.")
        if errors:
            raise ValidationError(errors)


class DelegationEvent(models.Model):
    """A delegation recorded or ended, an absence recorded (append-only, like role changes)."""

    class Kind(models.TextChoices):
        DELEGATION_CREATED = "delegation_created", _("Delegation recorded")
        DELEGATION_ENDED = "delegation_ended", _("Delegation ended")
        ABSENCE_RECORDED = "absence_recorded", _("Absence recorded")
        ABSENCE_CLOSED = "absence_closed", _("Absence over: tasks given back")

    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    absence = models.ForeignKey(
        Absence,
        verbose_name=_("absence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    data = models.JSONField(_("details"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("delegation history entry")
        verbose_name_plural = _("delegation history")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Delegation history entries are never rewritten.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Delegation history entries are never deleted.")
