"""Document types and the outgoing-document registers (sổ đăng ký văn bản đi)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from decisions.models.doctypes import DocumentKind
from decisions.models.organisations import (
    Organization,
)


class DocumentType(models.Model):
    """A document type of NĐ 30/2020/NĐ-CP, Phụ lục III (Quyết định: QĐ, Chỉ thị: CT, …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Not unique: an individual and a legal normative decision are both "QĐ"; a Công văn has none.
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=DocumentKind,
        default=DocumentKind.DECISION,
        help_text=_("Its parts, the way its text is read and its printed layout."),
    )
    series = models.CharField(
        _("register series"),
        max_length=20,
        help_text=_("Types with the same series share one register (the body decides)."),
    )

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def printed_title(self) -> str:
        """The title as printed: "QUYẾT ĐỊNH" (none for a Công văn); its kind decides."""
        from decisions import doctypes

        return doctypes.of(self).printed_title(self)


class Register(models.Model):
    """The outgoing-document register (sổ đăng ký văn bản đi) of one issuer, series and year.

    Numbers start at 01 on 1 January (NĐ 30/2020/NĐ-CP, Điều 15). Confidential documents
    have their own series (Điều 15.2). `last_number` is only moved by decisions/numbering.py.
    """

    class NumberFormat(models.TextChoices):
        PLAIN = "plain", _("01/QĐ-UBND (individual documents)")
        WITH_YEAR = "with_year", _("17/2016/QĐ-UBND (legal normative documents)")

    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="registers",
    )
    series = models.CharField(_("series"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    confidential = models.BooleanField(_("confidential documents"), default=False)
    number_format = models.CharField(
        _("number format"), max_length=20, choices=NumberFormat, default=NumberFormat.PLAIN
    )
    last_number = models.PositiveIntegerField(_("last number given"), default=0, editable=False)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["issuer", "-year", "series"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "series", "year", "confidential"],
                name="unique_register_per_issuer_series_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2999), name="register_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        mark = " (mật)" if self.confidential else ""
        return f"{self.issuer.abbreviation} {self.series} {self.year}{mark}"
