"""Deliveries of issued decisions to their receivers, and the public holidays."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.models.documents import (
    Decision,
)
from decisions.models.organisations import (
    Organization,
)


class Delivery(models.Model):
    """An issued decision sent to one receiving body or person (phát hành), and what became of it.

    "Lưu: VT, …" is the archive copy and never makes a delivery.
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        ACKNOWLEDGED = "acknowledged", _("Received")
        RECALLED = "recalled", _("Recalled")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="deliveries"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("receiving body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receiving person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SENT)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("received at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) ^ Q(user__isnull=False),
                name="delivery_to_a_body_or_a_person",
            ),
            models.UniqueConstraint(
                fields=["decision", "organization"], name="one_delivery_per_body"
            ),
            models.UniqueConstraint(fields=["decision", "user"], name="one_delivery_per_person"),
        ]
        indexes = [
            models.Index(fields=["organization", "-sent_at"], name="delivery_body_newest"),
            models.Index(fields=["user", "-sent_at"], name="delivery_person_newest"),
            # The unread count on every page's frame.
            models.Index(
                fields=["organization"],
                condition=models.Q(status="sent"),
                name="delivery_body_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.organization or self.user}"


class Holiday(models.Model):
    """A public holiday (ngày nghỉ lễ): not a working day for reminders (weekends never are)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
