"""The decision domain: bodies, people, registers and decisions (Quyết định).

Vietnamese terms of art and their identifiers are listed in docs/glossary.md.
Models guard a single row; everything that touches several rows lives in services.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ARCHIVE_PREFIX = "Lưu"  # "Lưu: VT, …": the archive copy, always the last Nơi nhận entry


def validate_transparent_png(upload: Any) -> None:
    """Signature and seal images: a real PNG with a transparent background (NĐ 30, Phụ lục I)."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, mode, info = image.format, image.mode, image.info
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("This file is not a PNG image."), code="not_png") from error
    finally:
        upload.seek(0)
    if image_format != "PNG":
        raise ValidationError(_("This file is not a PNG image."), code="not_png")
    if mode not in ("RGBA", "LA", "PA") and "transparency" not in info:
        raise ValidationError(
            _("The image has no transparent background: save it as a PNG with transparency."),
            code="not_transparent",
        )


class Organization(models.Model):
    """A body: an issuer (UBND tỉnh, UBND xã, historical UBND huyện) or a receiving body.

    Names, places and titles are data, not code (the 2025 reform renamed and merged bodies).
    Role grants (guardian object permissions) hang on this model: see decisions/permissions.py.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        COMMUNE = "commune", _("Commune or ward")
        DISTRICT = "district", _("District (before 1 July 2025)")
        AGENCY = "agency", _("Department, office or other body")

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Unique short code, e.g. giong-rieng (every committee abbreviates to UBND)."),
    )
    name = models.TextField(
        _("printed name"),
        max_length=300,
        help_text=_("As printed in the header, in capitals; one line per printed line."),
    )
    name_in_text = models.CharField(
        _("name in running text"),
        max_length=300,
        blank=True,
        help_text=_(
            "As written inside a sentence and in Nơi nhận, e.g. Sở Khoa học và Công nghệ tỉnh "
            "An Giang. Empty: derived from the printed name."
        ),
    )
    parent_name = models.CharField(
        _("parent body line"),
        max_length=200,
        blank=True,
        help_text=_("Cơ quan chủ quản printed above the name, if any."),
    )
    abbreviation = models.CharField(
        _("abbreviation"), max_length=20, help_text=_("Printed in the symbol, e.g. UBND.")
    )
    place_name = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_("Địa danh printed before the date, e.g. Giồng Riềng."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_issuer = models.BooleanField(_("issues decisions"), default=False)
    collective_name = models.CharField(
        _("collective name"),
        max_length=100,
        blank=True,
        help_text=_("Printed after 'TM.' for collective decisions, e.g. ỦY BAN NHÂN DÂN."),
    )
    head_title = models.CharField(
        _("title of the head"),
        max_length=100,
        blank=True,
        help_text=_("E.g. CHỦ TỊCH; printed after 'KT.' and in the authority line."),
    )
    unit_check_required = models.BooleanField(
        _("drafting unit head checks drafts"),
        default=False,
        help_text=_("NĐ 30/2020/NĐ-CP, Điều 12: an optional check before the office."),
    )
    active = models.BooleanField(_("active"), default=True)
    seal_image = models.FileField(
        _("seal image"),
        upload_to="seals/",
        blank=True,
        validators=[FileExtensionValidator(["png"]), validate_transparent_png],
        help_text=_("The red seal, PNG with a transparent background (NĐ 30, Phụ lục I)."),
    )
    seal_diameter_mm = models.PositiveSmallIntegerField(
        _("seal diameter (mm)"),
        default=35,
        validators=[MinValueValidator(20), MaxValueValidator(60)],
        help_text=_("The seal is printed at its real size."),
    )
    search_name = models.CharField(
        _("search name"),
        max_length=700,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Its names and code without case or diacritics, for the directory search."),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["code"]
        permissions = [
            ("draft_decisions", _("Draft decisions")),
            ("check_decisions", _("Check drafts of the unit")),
            ("propose_decisions", _("Check and propose decisions")),
            ("review_decisions", _("Review decisions")),
            ("sign_any_decision", _("Sign decisions in every field")),
            ("sign_in_own_sectors", _("Sign decisions in one's own fields")),
            ("issue_decisions", _("Number and issue decisions")),
            ("view_all_decisions", _("See every decision of the body")),
            ("receive_decisions", _("Receive decisions")),
        ]

    def __str__(self) -> str:
        return self.one_line_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the derived search name in step with the names (no other effect)."""
        from decisions.text import fold

        self.search_name = fold(f"{self.one_line_name} {self.name_in_text} {self.code}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def name_lines(self) -> list[str]:
        return [line.strip() for line in self.name.splitlines() if line.strip()]

    @property
    def one_line_name(self) -> str:
        return " ".join(self.name_lines)

    @property
    def running_name(self) -> str:
        """The name inside a sentence: "Sở Khoa học và Công nghệ tỉnh An Giang"."""
        return self.name_in_text.strip() or sentence_case_name(self.one_line_name)

    @property
    def collective_authority_line(self) -> str:
        """The authority line of a collective decision: the body itself."""
        return self.one_line_name

    def authority_of(self, authority_line: str) -> str:
        """Whose authority an authority line states: the head's own when it starts with his
        title ("CHỦ TỊCH …"), otherwise the collective body's (NĐ 30, Phụ lục III, Mẫu 1.2)."""
        head = self.head_title.strip().upper()
        if head and authority_line.strip().upper().startswith(head):
            return Decision.Authority.INDIVIDUAL
        return Decision.Authority.COLLECTIVE

    @property
    def individual_authority_line(self) -> str:
        """The authority line of a decision under the head's own authority."""
        return f"{self.head_title} {self.one_line_name}".strip()


# Words after which a body's name is a place name, written with capitals in running text.
PLACE_LEVELS = ("TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "TRẤN", "PHỐ", "KHU")
SYLLABLE = re.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]+(?:ng|nh|ch|[cmnpt])?$"
)


def sentence_case_name(name: str) -> str:
    """A printed name in capitals as a sentence writes it, when no name in running text is
    kept: "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG" -> "Ủy ban nhân dân huyện Giồng Riềng". The
    place after the level word keeps its capitals, abbreviations stay ("UBND", "HĐND"); other
    words of the body's own name cannot be told apart ("Khoa học"), hence `name_in_text`."""
    from decisions.text import fold

    words = name.split()
    last_level = max((i for i, word in enumerate(words) if word in PLACE_LEVELS), default=-1)
    result = []
    for index, word in enumerate(words):
        if not SYLLABLE.match(fold(word)):
            result.append(word)  # an abbreviation: "UBND", "HĐND"
        elif index > last_level >= 0 or index == 0:
            result.append(word.capitalize())
        else:
            result.append(word.lower())
    return " ".join(result)


class Sector(models.Model):
    """A field of responsibility (lĩnh vực) assigned to a vice chair."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="sectors",
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("field of responsibility")
        verbose_name_plural = _("fields of responsibility")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="unique_sector_name_in_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person: a login, the name and title as printed, the organisation he works in.

    What a person may do is granted per organisation (decisions/permissions.py); the title
    printed on an issued decision is frozen there and never read back from here.
    """

    full_name = models.CharField(
        _("full name as printed"), max_length=150, blank=True, help_text=_("E.g. Võ Tùng.")
    )
    title = models.CharField(
        _("title as printed"),
        max_length=150,
        blank=True,
        help_text=_("In capitals, e.g. PHÓ CHỦ TỊCH."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("fields of responsibility"), blank=True, related_name="leaders"
    )
    signature_image = models.FileField(
        _("signature image"),
        upload_to="signatures/",
        blank=True,
        validators=[FileExtensionValidator(["png"]), validate_transparent_png],
        help_text=_("The handwritten signature in blue, PNG with a transparent background."),
    )

    search_name = models.CharField(
        _("search name"),
        max_length=400,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Name and username without case or diacritics, for the directory search."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the derived search name in step with the name (no other effect)."""
        from decisions.text import fold

        self.search_name = fold(f"{self.full_name} {self.username}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class DocumentType(models.Model):
    """A document type of NĐ 30/2020/NĐ-CP, Phụ lục III (Quyết định: QĐ, Chỉ thị: CT, …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, unique=True)
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
        """The title as printed: "QUYẾT ĐỊNH"."""
        return self.name.upper()


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
    def symbol(self) -> str:
        """Ký hiệu: type abbreviation, hyphen, issuer abbreviation ("QĐ-UBND")."""
        return f"{self.document_type.abbreviation}-{self.issuer.abbreviation}"

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
    search_name = models.CharField(
        _("search name"), max_length=400, blank=True, editable=False, db_index=True
    )

    class Meta:
        verbose_name = _("recipient group")
        verbose_name_plural = _("recipient groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from decisions.text import fold

        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


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


class DecisionEvent(models.Model):
    """One entry of a decision's history: who did what, when, and why. Append-only.

    Entries are hash-chained per decision (decisions/events.py): each stores the hash of the
    previous entry and of its own content, so that `manage.py verify_history` finds any change.
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
        ACKNOWLEDGED = "acknowledged", _("Receipt acknowledged")
        REMINDED = "reminded", _("Reminder sent")
        RESENT = "resent", _("Sent again")
        PUBLISHED = "published", _("Publication changed")

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="events"
    )
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)
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

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("History entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("History entries cannot be deleted."))


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


class SigningKey(models.Model):
    """A signing key of a leader (his personal certificate) or of a body (its seal).

    The private key never leaves its store: a PKCS#12 file on the server (development and the
    demo, `make_dev_pki`) or a PKCS#11 token or HSM. The holder unlocks it for each signature
    with its password or PIN. The certificate is kept here to show and check it.
    """

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", _("Key file (PKCS#12)")
        PKCS11 = "pkcs11", _("Token or HSM (PKCS#11)")

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization (seal)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seal_keys",
    )
    backend = models.CharField(_("key store"), max_length=10, choices=Backend)
    location = models.CharField(
        _("location"),
        max_length=300,
        help_text=_("PKCS#12: the key file's path. PKCS#11: the token label."),
    )
    key_label = models.CharField(
        _("key label"), max_length=100, blank=True, help_text=_("PKCS#11: the key's label.")
    )
    certificate = models.BinaryField(_("certificate (DER)"))
    subject = models.CharField(_("certificate subject"), max_length=300)
    serial = models.CharField(_("serial number"), max_length=64)
    valid_until = models.DateTimeField(_("valid until"))
    is_test = models.BooleanField(
        _("test key"), default=False, help_text=_("Signatures made with it are test signatures.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organization__isnull=True)
                | Q(user__isnull=True, organization__isnull=False),
                name="signing_key_has_one_holder",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(active=True, user__isnull=False),
                name="one_active_key_per_person",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(active=True, organization__isnull=False),
                name="one_active_seal_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class StepDeadline(models.Model):
    """A body's own deadline for a step of the flow, in working days (replaces the default
    of decisions/lifecycle.py, STEPS)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="step_deadlines",
    )
    status = models.CharField(_("step"), max_length=20, choices=Decision.Status)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("step deadline")
        verbose_name_plural = _("step deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "status"], name="one_deadline_per_body_and_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_status_display()} ({self.working_days})"


class StepRecord(models.Model):
    """One stay of a decision in a step that waits for somebody: when it began, when it is
    due, when and by whom it ended. The on-time figures are computed from these rows."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="steps"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("step"), max_length=20, choices=Decision.Status)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose move"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The drafter or the signer; empty where the body's office or clerk holds it."),
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finished by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seconds = models.PositiveIntegerField(
        _("time spent (seconds)"),
        null=True,
        blank=True,
        help_text=_("Kept when the step ends, so that figures compare numbers, not dates."),
    )
    reminded_at = models.DateTimeField(_("overdue reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("step of a decision")
        verbose_name_plural = _("steps of decisions")
        indexes = [
            models.Index(fields=["organization", "finished_at"], name="step_body_finished"),
            models.Index(fields=["finished_at", "due_at"], name="step_open_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(finished_at__isnull=True),
                name="one_open_step_per_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.get_status_display()}"

    @property
    def on_time(self) -> bool | None:
        if self.finished_at is None:
            return None
        return self.finished_at <= self.due_at


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
