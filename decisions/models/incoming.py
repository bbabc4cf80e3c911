"""Incoming documents (văn bản đến) and the incoming register (sổ đăng ký văn bản đến).

NĐ 30/2020/NĐ-CP, Điều 20–24 and Phụ lục IV: every document a body receives, on paper, by e-mail
or through the exchange of document systems (edXML, QCVN 102:2016/BTTTT), is entered in the
body's incoming register with its arrival number (số đến), gap-free per register and year like
outgoing numbers; the văn thư then forwards it to a leader for direction (cho ý kiến chỉ đạo)
and to the person who handles it, with a due date. `last_number` is moved only by
decisions/services/incoming.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.models.organisations import Organization


class IncomingRegister(models.Model):
    """One body's register of incoming documents for one year (số đến starts at 1 on 1 January)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("receiving body"),
        on_delete=models.PROTECT,
        related_name="incoming_registers",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    confidential = models.BooleanField(_("confidential documents"), default=False)
    last_number = models.PositiveIntegerField(_("last arrival number"), default=0, editable=False)

    class Meta:
        verbose_name = _("incoming register")
        verbose_name_plural = _("incoming registers")
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "confidential"],
                name="unique_incoming_register_per_body_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2999),
                name="incoming_register_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        mark = " (mật)" if self.confidential else ""
        return f"{self.organization.abbreviation} đến {self.year}{mark}"


class IncomingDocument(models.Model):
    """A document entered in an incoming register, and what the body does with it.

    The fields are those of the register's columns (Phụ lục IV): arrival number and time,
    the sender (tác giả), number and symbol, date, type and subject (trích yếu), urgency, the
    file, then who directs and who handles it by when.
    """

    class Channel(models.TextChoices):
        EXCHANGE = "exchange", _("Document exchange (edXML)")
        PAPER = "paper", _("Paper")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        # The states a receiver reports back under QCVN 102:2016 (status messages).
        REGISTERED = "registered", _("Registered")
        AWAITING_DIRECTION = "awaiting_direction", _("Awaiting a leader's direction")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("Being handled")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    class Urgency(models.TextChoices):
        NORMAL = "", _("Normal")
        URGENT = "khan", _("Urgent (Khẩn)")
        EXPRESS = "thuong_khan", _("Very urgent (Thượng khẩn)")
        FLASH = "hoa_toc", _("Flash (Hỏa tốc)")

    register = models.ForeignKey(
        IncomingRegister,
        verbose_name=_("incoming register"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    arrival_number = models.PositiveIntegerField(_("arrival number"))
    arrived_at = models.DateTimeField(_("arrival time"), default=timezone.now)
    channel = models.CharField(_("received by"), max_length=20, choices=Channel)
    sender_name = models.CharField(_("sender"), max_length=300)
    sender_identifier = models.CharField(_("sender's identifier code"), max_length=20, blank=True)
    sender = models.ForeignKey(
        Organization,
        verbose_name=_("sending body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("number and symbol"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    document_type = models.CharField(_("document type"), max_length=100, blank=True)
    subject = models.TextField(_("subject"), max_length=2000)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency, default=Urgency.NORMAL, blank=True
    )
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="incoming/%Y/", blank=True)
    # A paper document's scan as uploaded; `file` is then the scan with the "ĐẾN" stamp.
    original_file = models.FileField(_("original scan"), upload_to="incoming/%Y/", blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    exchange_document_id = models.CharField(
        _("document id in the exchange"), max_length=100, blank=True
    )
    status = models.CharField(_("status"), max_length=30, choices=Status, default=Status.REGISTERED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader directing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_to_direct",
    )
    direction = models.TextField(_("leader's direction"), blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_to_handle",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    reply_reference = models.CharField(
        _("number and symbol of the reply"), max_length=100, blank=True
    )
    reminded_at = models.DateTimeField(_("overdue reminder sent at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-arrived_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "arrival_number"], name="unique_arrival_number"
            ),
        ]
        indexes = [
            models.Index(fields=["handler", "status"], name="incoming_handler_status"),
            models.Index(fields=["exchange_document_id"], name="incoming_exchange_id"),
        ]

    def __str__(self) -> str:
        return f"{self.arrival_number} {self.reference} {self.sender_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("decisions:incoming_detail", args=[self.pk])


class IncomingEvent(models.Model):
    """One step in an incoming document's life: registered, forwarded, directed, assigned, …"""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        FORWARDED = "forwarded", _("Forwarded for direction")
        DIRECTED = "directed", _("Directed")
        ASSIGNED = "assigned", _("Assigned")
        STARTED = "started", _("Handling started")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")
        RETURNED = "returned", _("Returned to the records clerk")
        REMINDED = "reminded", _("Overdue reminder sent")
        STATUS_SENT = "status_sent", _("Status sent to the sender")

    document = models.ForeignKey(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("incoming document history entry")
        verbose_name_plural = _("incoming document history")
        ordering = ["document", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind}"
