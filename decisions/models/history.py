"""Append-only records: the hash-chained history of each decision, and role changes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.models.documents import (
    Decision,
)
from decisions.models.organisations import (
    Organization,
)


class DecisionEvent(models.Model):
    """One entry of a decision's history: who did what, when, and why. Append-only.

    Entries are chained per decision (decisions/events.py): each stores the keyed hash (HMAC,
    with the history key of `key_version`, kept outside the database) of the previous entry and
    of its own content, and the decision's state after it, so that `manage.py verify_history`
    finds any change, and any change of state made without an entry.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        IMPORTED = "imported", _("Imported from text")
        UPDATED = "updated", _("Updated")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
        ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
        SUBMITTED = "submitted", _("Submitted")
        CHECKED = "checked", _("Checked by the unit head")
        RETURNED = "returned", _("Returned for revision")
        PROPOSED = "proposed", _("Proposed for signature")
        HANDED_OVER = "handed_over", _("Handed over")
        APPROVED = "approved", _("Approved")
        SIGNED = "signed", _("Signed")
        SEALED = "sealed", _("Sealed by the body")
        NUMBERED = "numbered", _("Number taken from the register")
        ISSUED = "issued", _("Issued")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        VOIDED = "voided", _("Voided")
        RECALLED = "recalled", _("Recalled")
        PDF_VIEWED = "pdf_viewed", _("PDF viewed")
        DISTRIBUTED = "distributed", _("Distributed")
        OPENED = "opened", _("Opened by the receiver")
        ACKNOWLEDGED = "acknowledged", _("Receipt acknowledged")
        REMINDED = "reminded", _("Reminder sent")
        RESENT = "resent", _("Sent again")
        PUBLISHED = "published", _("Publication changed")
        PIN_FAILED = "pin_failed", _("Wrong PIN of a signing key")
        KEY_LOCKED = "key_locked", _("Signing key locked")
        EXCHANGE_SENT = "exchange_sent", _("Sent through the document exchange")
        EXCHANGE_FAILED = "exchange_failed", _("Could not be sent through the document exchange")
        EXCHANGE_STATUS = "exchange_status", _("Status received from the document exchange")
        SUBSTITUTED = "substituted", _("Passed to the substitute of an absent leader")
        SUBSTITUTION_ENDED = "substitution_ended", _("Given back to the leader after his absence")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="events"
    )
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)
    key_version = models.PositiveSmallIntegerField(_("key version"), default=1, editable=False)
    status = models.CharField(_("state after it"), max_length=20, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["decision", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "sequence"], name="unique_event_sequence")
        ]
        indexes = [
            # Has this person already viewed this decision's PDF today? (record_pdf_view)
            models.Index(fields=["decision", "kind", "actor", "at"], name="event_reader_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("History entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("History entries cannot be deleted."))


class HistoryHead(models.Model):
    """The sealed end of one decision's history: how many entries it has and the last one's hash.

    The seal is keyed like the entries, so that deleting the last entries (or all of them) is
    found even though what remains is a valid chain. `decision_id` is a plain number, not a
    foreign key: the head outlives a decision deleted behind the application's back.
    """

    decision_id = models.BigIntegerField(_("decision"), primary_key=True)
    length = models.PositiveIntegerField(_("entries"))
    hash = models.CharField(_("hash of the last entry"), max_length=64)
    key_version = models.PositiveSmallIntegerField(_("key version"))
    seal = models.CharField(_("seal"), max_length=64)

    class Meta:
        verbose_name = _("end of a history")
        verbose_name_plural = _("ends of histories")

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.length}"


class RoleEvent(models.Model):
    """A role given or taken away in a body: who, which role, by whom, when (append-only)."""

    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="role_events",
        editable=False,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    role = models.CharField(_("role"), max_length=30, editable=False)
    granted = models.BooleanField(_("granted"), editable=False)

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.role} {self.granted}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Role changes are never rewritten.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Role changes are never deleted.")
