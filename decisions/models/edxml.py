"""edXML packages received from other document systems (QCVN 102:2016), accepted or refused.

Every package that reaches `decisions.exchange.receive.receive` is kept, with its raw file, for
inspection: an accepted one links the incoming documents it created, a refused one says why and
created nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.models.exchange import ExchangePartner
from decisions.models.incoming import IncomingDocument


class ReceivedPackage(models.Model):
    """One edXML package as it arrived, and what became of it."""

    class Via(models.TextChoices):
        HTTP = "http", _("Exchange endpoint")
        UPLOAD = "upload", _("Uploaded by the văn thư")
        COMMAND = "command", _("Imported with a command")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    file = models.FileField(_("package file"), upload_to="exchange/received/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the package"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    via = models.CharField(_("received by"), max_length=20, choices=Via)
    partner = models.ForeignKey(
        ExchangePartner,
        verbose_name=_("exchange partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_packages",
    )
    sender_identifier = models.CharField(_("sender's identifier code"), max_length=20, blank=True)
    document_id = models.CharField(_("document id in the exchange"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    refusal_code = models.CharField(_("refusal code"), max_length=30, blank=True)
    reason = models.TextField(_("reason for refusal"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    documents = models.ManyToManyField(
        IncomingDocument,
        verbose_name=_("incoming documents"),
        blank=True,
        related_name="received_packages",
    )

    class Meta:
        verbose_name = _("received edXML package")
        verbose_name_plural = _("received edXML packages")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["document_id"], name="received_package_document"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id or self.sha256[:12]} ({self.get_status_display()})"

    @property
    def accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED
