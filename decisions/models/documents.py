"""Decisions, their Nơi nhận lines and recipient groups, annexes and revision versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from decisions.models.organisations import (
    SYLLABLE,
    Organization,
    Sector,
    search_name_field,
    with_search_name,
)
from decisions.models.registers import DocumentType, Register

ARCHIVE_PREFIX = "Lưu"  # "Lưu: VT, …": the archive copy, always the last Nơi nhận entry


def kind_and_subject(kind: str, subject: str) -> str:
    """ "Quyết định" and "Về việc ban hành …" -> "Quyết định về việc ban hành …".

    The subject is stored as printed under the title, where it begins with a capital; after
    the kind, in running text, its first word is lower-case, unless that word is an
    abbreviation or not a plain word ("V/v", "UBND")."""
    from decisions.text import fold

    subject = " ".join(subject.split())
    first, _space, rest = subject.partition(" ")
    if first[:1].isupper() and first[1:].islower() and SYLLABLE.match(fold(first)):
        subject = f"{first.lower()} {rest}".strip()
    return f"{kind} {subject}".strip()


class Decision(models.Model):
    """A decision (Quyết định), from draft to issued document.

    Content is structured: `legal_bases` is a list of strings (căn cứ, without the proposer);
    `articles` is a list of {"title", "text", "clauses": [{"text", "points": [str]}], "closing"};
    point texts carry no letter (the letters follow from their order); `annexes` is a list of
    {"title", "text"} printed after the decision.
    The fields under "issuance" stay empty until the văn thư issues it, and never change after.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNIT_CHECK = "unit_check", _("Checked by the unit")
        PROPOSAL = "proposal", _("With the office")
        REVIEW = "review", _("In review")
        SIGNATURE = "signature", _("Awaiting signature")
        SIGNED = "signed", _("Signed")
        ISSUED = "issued", _("Issued")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        VOIDED = "voided", _("Voided")
        RECALLED = "recalled", _("Recalled")

    class Effect(models.TextChoices):
        """What a decision does to an earlier issued one (NĐ 30, Điều 18.3)."""

        NONE = "", _("None")
        AMENDS = "amends", _("Amends and supplements")
        REPLACES = "replaces", _("Replaces")
        REPEALS = "repeals", _("Repeals")

    class Authority(models.TextChoices):
        COLLECTIVE = "collective", _("Collective: the People's Committee")
        INDIVIDUAL = "individual", _("The chair's own authority")

    class Urgency(models.TextChoices):
        # Values are printed verbatim in the red urgency stamp (NĐ 30, Phụ lục I).
        NONE = "", _("Not urgent")
        URGENT = "KHẨN", _("Urgent")
        VERY_URGENT = "THƯỢNG KHẨN", _("Very urgent")
        FLASH = "HỎA TỐC", _("Flash")

    class Confidentiality(models.TextChoices):
        NONE = "", _("Not confidential")
        SECRET = "MẬT", _("Secret")
        TOP_SECRET = "TỐI MẬT", _("Top secret")
        ABSOLUTE_SECRET = "TUYỆT MẬT", _("Absolutely secret")

    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT
    )
    authority = models.CharField(_("authority"), max_length=20, choices=Authority)
    authority_line = models.CharField(_("authority line"), max_length=300)
    subject = models.CharField(_("subject"), max_length=500)
    legal_bases = models.JSONField(_("legal bases"), default=list, blank=True)
    proposer = models.CharField(_("proposer line"), max_length=500, blank=True)
    articles = models.JSONField(_("articles"), default=list, blank=True)
    annexes = models.JSONField(_("annexes"), default=list, blank=True)
    # The parts of its type that a decision has not (decisions/doctypes/): a Công văn's
    # "Kính gửi" addressees and paragraphs, the titled sections of a Kế hoạch, …
    # NULL (not {}): adding the column then needs no rebuild of the guarded table on SQLite.
    parts = models.JSONField(_("parts of its type"), null=True, blank=True, default=None)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency, default=Urgency.NONE, blank=True
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality,
        default=Confidentiality.NONE,
        blank=True,
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafter"),
        on_delete=models.PROTECT,
        related_name="drafted_decisions",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions_to_sign",
    )
    signer_delegated = models.BooleanField(
        _("handed to the signer by the chair"),
        default=False,
        help_text=_("A vice chair may then sign outside his own fields."),
    )
    number_year = models.PositiveSmallIntegerField(
        _("year in the number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1945), MaxValueValidator(2999)],
        help_text=_(
            "Legal normative documents carry the year in their number (17/2016/QĐ-UBND); "
            "it is the year of issue when the decision is numbered."
        ),
    )
    drafter_initials = models.CharField(_("drafter's initials"), max_length=20, blank=True)
    copies = models.PositiveSmallIntegerField(_("number of copies"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    revision = models.PositiveSmallIntegerField(
        _("revision round"), default=1, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Issuance: filled once by the văn thư, frozen afterwards.
    register = models.ForeignKey(
        Register,
        verbose_name=_("register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        editable=False,
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    reference = models.CharField(_("number and symbol"), max_length=64, blank=True, editable=False)
    issued_on = models.DateField(_("issue date"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    snapshot = models.JSONField(
        _("printed snapshot"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Issuer, signer and recipients exactly as printed at issuance."),
    )
    signed_pdf = models.FileField(
        _("PDF signed by the leader"), upload_to="signed/%Y/", blank=True, editable=False
    )
    pdf = models.FileField(_("issued PDF"), upload_to="issued/%Y/", blank=True, editable=False)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the PDF"), max_length=64, blank=True, editable=False
    )
    affects = models.ForeignKey(
        "self",
        verbose_name=_("earlier decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affected_by",
    )
    effect = models.CharField(
        _("effect on the earlier decision"), max_length=20, choices=Effect, default="", blank=True
    )
    verification_token = models.CharField(
        _("verification code"), max_length=32, null=True, blank=True, unique=True, editable=False
    )
    is_public = models.BooleanField(
        _("published"), default=False, help_text=_("Its content is shown to the public.")
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        editable=False,
        help_text=_("Number, subject and issuer without case or diacritics, for searching."),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The lists, newest first: a body's decisions, a drafter's, everyone's (admin);
            # and the inboxes, by step and age.
            models.Index(fields=["issuer", "-created_at", "-id"], name="decision_issuer_newest"),
            models.Index(fields=["drafter", "-created_at", "-id"], name="decision_drafter_newest"),
            models.Index(fields=["-created_at", "-id"], name="decision_newest_first"),
            models.Index(fields=["status", "updated_at"], name="decision_status_age"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], name="unique_number_in_register"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="decision_number_starts_at_one",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(register__isnull=False),
                name="numbered_decision_has_register",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "voided", "recalled"])
                | (
                    Q(number__isnull=False)
                    & Q(issued_on__isnull=False)
                    & Q(issued_at__isnull=False)
                    & ~Q(reference="")
                ),
                name="issued_decision_is_numbered_and_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('Draft')}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])

    @property
    def title(self) -> str:
        """ "Quyết định về việc …": its kind and subject as running text names them."""
        from decisions import doctypes

        return kind_and_subject(
            doctypes.of(self.document_type).running_name(self.document_type), self.subject
        )

    @property
    def symbol(self) -> str:
        """Ký hiệu ("QĐ-UBND"; a Công văn's "UBND-KT"): its type's rule."""
        from decisions import doctypes

        return doctypes.of(self.document_type).symbol(
            self.document_type, self.issuer.abbreviation, self.parts or {}
        )

    @property
    def is_frozen(self) -> bool:
        """True once a number has been given: nothing printed may change any more."""
        return self.number is not None


class RecipientGroup(models.Model):
    """A named list of receivers kept by the administrator ("Các sở, ban, ngành tỉnh", "UBND
    các xã, phường"): a Nơi nhận line linked to it delivers to each member."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("bodies"), blank=True, related_name="recipient_groups"
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people"), blank=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    search_name = search_name_field(400)

    class Meta:
        verbose_name = _("recipient group")
        verbose_name_plural = _("recipient groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **with_search_name(self, self.name, kwargs))


class Recipient(models.Model):
    """One printed Nơi nhận entry, in order; it may name directory bodies, people or groups."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="recipients"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("printed text"), max_length=300)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("receiving bodies"), blank=True, related_name="+"
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("receiving people"), blank=True, related_name="+"
    )
    groups = models.ManyToManyField(
        RecipientGroup, verbose_name=_("receiving groups"), blank=True, related_name="+"
    )
    same_as_article = models.PositiveSmallIntegerField(
        _("same as article"),
        null=True,
        blank=True,
        help_text=_("For 'Như Điều N': the article whose addressees receive it."),
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["decision", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "position"], name="unique_recipient_position"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_archive(self) -> bool:
        """ "Lưu: VT, …" is the archive copy and delivers to no one."""
        return is_archive_entry(self.text)


def is_archive_entry(text: str) -> bool:
    return text.strip().startswith(ARCHIVE_PREFIX)


def validate_attachment_file(file: Any) -> None:
    """Annexes: a known office or image format, within the configured size."""
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = settings.DECISIONS_ATTACHMENT_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(ext)s” cannot be attached. Allowed: %(allowed)s."),
            code="file_type",
            params={"ext": extension or "?", "allowed": ", ".join(allowed)},
        )
    limit = settings.DECISIONS_ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="file_size",
            params={"size": round(file.size / 1048576, 1), "limit": round(limit / 1048576, 1)},
        )


class Attachment(models.Model):
    """An annex (phụ lục) or supporting file of a decision."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"), upload_to="attachments/%Y/%m/", validators=[validate_attachment_file]
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["decision", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class DecisionVersion(models.Model):
    """The content of a decision as it stood in one revision round."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="versions"
    )
    round = models.PositiveSmallIntegerField(_("revision round"))
    content = models.JSONField(_("content"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.PROTECT
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["decision", "round"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "round"], name="unique_version_round")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} v{self.round}"
