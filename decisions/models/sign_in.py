"""Sign-in security records (decisions/sign_in.py)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    """One password reset request that was let through, counted against its e-mail address
    (kept as a SHA-256 digest, never in clear) and its client address."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    email_digest = models.CharField(_("e-mail address (SHA-256)"), max_length=64)
    address = models.CharField(_("client address"), max_length=64)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            models.Index(fields=["email_digest", "at"], name="reset_request_email"),
            models.Index(fields=["address", "at"], name="reset_request_address"),
        ]

    def __str__(self) -> str:
        return f"{self.address} {self.at:%d/%m/%Y %H:%M}"
