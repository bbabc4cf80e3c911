"""Sign-in security, in one place: who must use two-step sign-in, the client's address, the
lockout page of django-axes, the limit on password reset requests, recovery codes.

Settings (config/settings.py): AXES_* (failed logins), DECISIONS_TRUSTED_PROXY_COUNT,
DECISIONS_PASSWORD_RESET_*, DECISIONS_2FA_REQUIRED_ROLES. README "Sign-in security" says how an
administrator unlocks someone and resets a lost phone.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from decisions import permissions
from decisions.models import PasswordResetRequest, User

ADMIN = "admin"  # in DECISIONS_2FA_REQUIRED_ROLES: staff users and superusers
RECOVERY_CODES = 10
RECOVERY_DEVICE_NAME = "recovery"
APP_DEVICE_NAME = "app"


def client_address(request: HttpRequest) -> str:
    """The client's address: the X-Forwarded-For entry added by the outermost of our
    DECISIONS_TRUSTED_PROXY_COUNT proxies (entries before it may be forged), else REMOTE_ADDR."""
    count = settings.DECISIONS_TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if len(entries) >= count:
            return entries[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out account or address, in Vietnamese (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def allow_password_reset(*, email: str, address: str) -> bool:
    """Whether one more password reset request may go out for `email` from `address`
    (DECISIONS_PASSWORD_RESET_LIMIT per window, counted per e-mail and per address, whether
    or not an account has that e-mail: the answer tells nothing about accounts). An allowed
    request is counted."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    since = timezone.now() - datetime.timedelta(
        minutes=settings.DECISIONS_PASSWORD_RESET_WINDOW_MINUTES
    )
    limit = settings.DECISIONS_PASSWORD_RESET_LIMIT
    with transaction.atomic():
        recent = PasswordResetRequest.objects.filter(at__gte=since)
        if (
            recent.filter(email_digest=digest).count() >= limit
            or recent.filter(address=address).count() >= limit
        ):
            return False
        PasswordResetRequest.objects.create(email_digest=digest, address=address)
        PasswordResetRequest.objects.filter(at__lt=since).delete()
    return True


def two_factor_required(user: Any) -> bool:
    """Whether `user` must use two-step sign-in: an administrator, or a holder of one of the
    roles in DECISIONS_2FA_REQUIRED_ROLES in some body."""
    required = set(settings.DECISIONS_2FA_REQUIRED_ROLES)
    if not required or not user.is_authenticated:
        return False
    if ADMIN in required and (user.is_staff or user.is_superuser):
        return True
    return any(
        role.value in required
        for _organization, roles in permissions.organizations_with_roles(user)
        for role in roles
    )


def has_two_factor(user: Any) -> bool:
    """Whether `user` has a confirmed authenticator app (recovery codes alone do not count)."""
    return any(
        not isinstance(device, StaticDevice) for device in devices_for_user(user, confirmed=True)
    )


def new_recovery_codes(user: User) -> list[str]:
    """Replace `user`'s recovery codes with RECOVERY_CODES new ones (each works once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@checks.register(checks.Tags.security)
def check_two_factor_roles(**kwargs: Any) -> list[checks.CheckMessage]:
    """A misspelt role in DECISIONS_2FA_REQUIRED_ROLES would silently exempt that role."""
    known = {role.value for role in permissions.Role} | {ADMIN}
    unknown = sorted(set(settings.DECISIONS_2FA_REQUIRED_ROLES) - known)
    if not unknown:
        return []
    return [
        checks.Error(
            f"DECISIONS_2FA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Use some of: {', '.join(sorted(known))}, or 'none'.",
            id="decisions.E2FA",
        )
    ]


# What a logged-in session still owes after the password (kept in the session at login).
SESSION_KEY = "two_factor"
NOT_NEEDED, VERIFY, ENROL = "not_needed", "verify", "enrol"


def two_factor_state(user: Any) -> str:
    """VERIFY: `user` has an authenticator app and must give a code; ENROL: `user` must use
    two-step sign-in and has no app yet; NOT_NEEDED otherwise."""
    if has_two_factor(user):
        return VERIFY
    if two_factor_required(user):
        return ENROL
    return NOT_NEEDED


def remember_two_factor_state(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On every login (the login pages, the admin's, tests' force_login): decide once what the
    new session owes, so that pages need no query to know it (connected in apps.py)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = two_factor_state(user)


def verify_code(user: Any, code: str) -> Any:
    """The device that accepts `code` (a 6-digit code of the authenticator app, or one of the
    recovery codes, which then no longer works). django-otp's throttling stays on: after each
    wrong code the next try must wait twice as long."""
    code = "".join(code.split())
    app_code = len(code) == 6 and code.isdigit()  # else a recovery code
    devices = [
        device
        for device in devices_for_user(user, confirmed=True)
        if isinstance(device, StaticDevice) != app_code
    ]
    for device in devices:
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(
                _("Too many wrong codes in a row: wait a moment, then try again."),
                code="throttled",
            )
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    raise ValidationError(_("The code is wrong or has expired."), code="wrong_code")


def start_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed authenticator app being set up for `user` (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def confirm_enrolment(user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with a code it shows; returns it and new recovery codes.
    Replaces any app set up before."""
    device = start_enrolment(user)
    if not device.verify_token("".join(code.split())):
        raise ValidationError(
            _("The code is wrong or has expired: type the code your app shows now."),
            code="wrong_code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
    return device, codes


def secret_of(device: TOTPDevice) -> str:
    """The secret key as people type it into an app (base32, in groups of four)."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    import segno

    return str(segno.make(device.config_url, error="m").svg_inline(scale=5))


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()
