"""The other document systems this installation exchanges documents with (edXML, QCVN 102:2016).

A body in the directory whose `exchange_partner` is set lives outside this installation: its
deliveries travel as edXML packages through that partner (another installation of this
application, a provincial integration platform (LGSP), or files handed over by the văn thư).
"""

from __future__ import annotations

from django.db import models
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

    class Meta:
        verbose_name = _("exchange partner")
        verbose_name_plural = _("exchange partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
