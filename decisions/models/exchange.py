"""The other document systems this installation exchanges documents with (edXML, QCVN 102:2016).

A body in the directory whose `exchange_partner` is set lives outside this installation: its
deliveries travel as edXML packages through that partner (another installation of this
application, a provincial integration platform (LGSP), or files handed over by the văn thư).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExchangePartner(models.Model):
    """A document system at the other end of the exchange."""

    class Transport(models.TextChoices):
        HTTP = "http", _("Direct HTTP (another installation of this application)")
        FILES = "files", _("Files handed over by the văn thư")

    name = models.CharField(_("name"), max_length=200, unique=True)
    transport = models.CharField(
        _("transport"), max_length=20, choices=Transport, default=Transport.HTTP
    )
    url = models.URLField(_("receiving address"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The pair's shared secret (`manage.py exchange_partner create|rotate`): `key_id` names it
    # in every request, both ways; the secret itself is encrypted with a key derived from
    # DJANGO_SECRET_KEY (decisions/exchange/transport.py, docs/exchange.md says why not hashed).
    key_id = models.CharField(
        _("key id"), max_length=40, unique=True, null=True, blank=True, editable=False
    )
    secret_encrypted = models.TextField(_("encrypted secret"), blank=True, editable=False)
    secret_set_at = models.DateTimeField(_("secret set at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("exchange partner")
        verbose_name_plural = _("exchange partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SentPackage(models.Model):
    """The edXML package of one delivery to a body reached by exchange, and what became of it:
    sent (with retries) by decisions/exchange/transport.py, then the status messages its
    receiver sends back (decisions/exchange/status.py)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent through the exchange")
        REFUSED = "refused", _("Refused by the receiver")
        FAILED = "failed", _("Could not be sent")
        BY_FILE = "by_file", _("To be handed over as a file")

    delivery = models.OneToOneField(
        "decisions.Delivery",
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="sent_package",
    )
    partner = models.ForeignKey(
        ExchangePartner,
        verbose_name=_("exchange partner"),
        on_delete=models.PROTECT,
        related_name="sent_packages",
    )
    document_id = models.CharField(_("document id in the exchange"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_status_code = models.CharField(_("last status received"), max_length=10, blank=True)
    last_status_description = models.CharField(
        _("description of the last status"), max_length=500, blank=True
    )
    last_status_at = models.DateTimeField(_("last status at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent edXML package")
        verbose_name_plural = _("sent edXML packages")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["document_id"], name="sent_package_document")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.partner}"

    @property
    def last_status_label(self) -> str:
        from decisions.exchange.status import label

        return label(self.last_status_code) if self.last_status_code else ""


class OutgoingStatus(models.Model):
    """A status message this installation (as receiver) owes to the sender of a document it
    got through the exchange: each (document, our body, code) is sent once, retried until it
    goes."""

    partner = models.ForeignKey(
        ExchangePartner,
        verbose_name=_("exchange partner"),
        on_delete=models.PROTECT,
        related_name="outgoing_statuses",
    )
    document_id = models.CharField(_("document id in the exchange"), max_length=100)
    from_identifier = models.CharField(_("responding body's identifier code"), max_length=20)
    code = models.CharField(_("status code"), max_length=10)
    message = models.TextField(_("status message (XML)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    gave_up_at = models.DateTimeField(_("gave up at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing status message")
        verbose_name_plural = _("outgoing status messages")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "document_id", "from_identifier", "code"],
                name="one_status_per_document_body_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.code} → {self.partner}"


class ExchangeNonce(models.Model):
    """A request nonce seen from a partner within the signature window (replay guard)."""

    partner = models.ForeignKey(ExchangePartner, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "nonce"], name="unique_exchange_nonce")
        ]

    def __str__(self) -> str:
        return self.nonce
