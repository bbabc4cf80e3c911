"""Signing keys of leaders and bodies (certificates; the keys stay in their stores)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from decisions.models.organisations import (
    Organization,
    User,
)


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
    # Wrong PINs in a row (decisions/signing/attempts.py); a right one sets it back to 0.
    failed_attempts = models.PositiveSmallIntegerField(
        _("wrong PINs in a row"), default=0, editable=False
    )
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, editable=False)

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
