"""Bodies, their fields of responsibility, and people (with their roles per body)."""

from __future__ import annotations

import re
import warnings
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def validate_transparent_png(upload: Any) -> None:
    """Signature and seal images: a real PNG with a transparent background (NĐ 30, Phụ lục I),
    at most DECISIONS_IMAGE_MAX_BYTES and DECISIONS_IMAGE_MAX_SIDE pixels a side. The size in
    bytes is checked first, then the pixel size from the header alone (nothing is decoded):
    signing draws the image, and a 20,000-pixel one would take gigabytes there."""
    from PIL import Image, UnidentifiedImageError

    max_bytes, max_side = settings.DECISIONS_IMAGE_MAX_BYTES, settings.DECISIONS_IMAGE_MAX_SIDE
    if (upload.size or 0) > max_bytes:
        raise ValidationError(
            _("The image is too large (%(size)s; at most %(limit)s).")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    too_many_pixels = ValidationError(
        _("The image is too large: at most %(side)d × %(side)d pixels.") % {"side": max_side},
        code="too_many_pixels",
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                image_format, mode, info = image.format, image.mode, image.info
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("This file is not a PNG image."), code="not_png") from error
    finally:
        upload.seek(0)
    if image_format != "PNG":
        raise ValidationError(_("This file is not a PNG image."), code="not_png")
    if max(width, height) > max_side:
        raise too_many_pixels
    if mode not in ("RGBA", "LA", "PA") and "transparency" not in info:
        raise ValidationError(
            _("The image has no transparent background: save it as a PNG with transparency."),
            code="not_transparent",
        )


def search_name_field(max_length: int, help_text: Any = "") -> models.CharField[str, str]:
    """A name without case or diacritics, derived on save, that the directory search reads."""
    return models.CharField(
        _("search name"),
        max_length=max_length,
        blank=True,
        editable=False,
        db_index=True,
        help_text=help_text,
    )


def with_search_name(instance: Any, text: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Set `instance.search_name` from `text` before a save (kept in `update_fields`)."""
    from decisions.text import fold

    instance.search_name = fold(text)
    if kwargs.get("update_fields") is not None:
        kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
    return kwargs


IDENTIFIER_SHAPE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}")


def validate_identifier(value: str) -> None:
    """A body's electronic identifier code (mã định danh, Quyết định 20/2020/QĐ-TTg): four
    groups from the lowest level to the highest, e.g. 000.00.00.H01 (a province's People's
    Committee) or 000.01.33.H33 (a body under it)."""
    if not IDENTIFIER_SHAPE.fullmatch(value):
        raise ValidationError(
            _("An identifier code has the form 000.00.00.H01 (digits, dots and a capital letter)."),
            code="identifier_shape",
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
    identifier = models.CharField(
        _("identifier code"),
        max_length=13,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_identifier],
        help_text=_(
            "Mã định danh (Quyết định 20/2020/QĐ-TTg), e.g. 000.00.00.H01: how other document "
            "systems address this body."
        ),
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
    exchange_partner = models.ForeignKey(
        "decisions.ExchangePartner",
        verbose_name=_("reached through"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_(
            "Set for a body outside this installation: its documents travel as edXML "
            "packages through this partner system."
        ),
    )
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
    search_name = search_name_field(
        700, _("Its names and code without case or diacritics, for the directory search.")
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
            # Incoming documents (văn bản đến, decisions/incoming_lifecycle.py).
            ("register_incoming", _("Register incoming documents")),
            ("direct_incoming", _("Direct the handling of incoming documents")),
            ("handle_incoming", _("Handle incoming documents")),
            ("see_incoming", _("See the body's incoming documents")),
        ]

    def __str__(self) -> str:
        return self.one_line_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the derived search name in step with the names (no other effect)."""
        self.identifier = self.identifier or None  # blank in a form: no code, not a duplicate ""
        text = f"{self.one_line_name} {self.name_in_text} {self.code}"
        super().save(*args, **with_search_name(self, text, kwargs))

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
        from decisions.models.documents import Decision  # defined after the bodies

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

    search_name = search_name_field(
        400, _("Name and username without case or diacritics, for the directory search.")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the derived search name in step with the name (no other effect)."""
        text = f"{self.full_name} {self.username}"
        super().save(*args, **with_search_name(self, text, kwargs))

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username
