"""Which kind of document a DocumentType is (its strategy in decisions/doctypes/), and which types
each body issues, from which register series."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from decisions.models.organisations import Organization


class DocumentKind(models.TextChoices):
    """The key of a document type's strategy (decisions/doctypes/): its parts, grammar and
    layout. NĐ 30/2020/NĐ-CP, Phụ lục I and III."""

    DECISION = "decision", _("Individual decision (Quyết định cá biệt)")
    NORMATIVE_DECISION = "normative_decision", _("Legal normative decision (Quyết định QPPL)")
    OFFICIAL_LETTER = "official_letter", _("Official letter (Công văn)")
    NOTICE = "notice", _("Notice (Thông báo)")
    PLAN = "plan", _("Plan (Kế hoạch)")
    REPORT = "report", _("Report (Báo cáo)")
    SUBMISSION = "submission", _("Submission (Tờ trình)")
    DIRECTIVE = "directive", _("Directive (Chỉ thị)")


class IssuedDocumentType(models.Model):
    """A document type a body issues. `series` chooses its register: blank, the type's own
    series (one register per type, or shared by every type with the same series); else the
    series named here (NĐ 30, Điều 15.1.c: the head of the body decides). A body with no row
    issues every type."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="issued_document_types",
    )
    document_type = models.ForeignKey(
        "decisions.DocumentType",
        verbose_name=_("document type"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    series = models.CharField(
        _("register series"),
        max_length=20,
        blank=True,
        help_text=_("Blank: the type's own series. Types with the same series share a register."),
    )

    class Meta:
        verbose_name = _("document type issued")
        verbose_name_plural = _("document types issued")
        ordering = ["organization", "document_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "document_type"], name="unique_issued_document_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization.abbreviation}: {self.document_type}"
