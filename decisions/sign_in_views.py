"""Pages of sign-in security: the lockout-throttled password reset, two-step sign-in (give a
code, set up an authenticator app, recovery codes). The rules live in decisions/sign_in.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from decisions import sign_in
from decisions.forms import PasswordResetForm

RECOVERY_SESSION_KEY = "two_factor_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": gettext_lazy("Type the code.")},
    )


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, at most DECISIONS_PASSWORD_RESET_LIMIT requests per e-mail and
    per client address in a window (the refusal is the same whether the account exists)."""

    form_class = PasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        if not sign_in.allow_password_reset(
            email=form.cleaned_data["email"], address=sign_in.client_address(self.request)
        ):
            form.add_error(None, _("Too many requests for a new password: try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponseBase:
    """After the password: the code of the authenticator app, or a recovery code."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = sign_in.verify_code(user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            if isinstance(device, sign_in.StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(left)d are left.") % {"left": left},
                )
            return redirect(_next(request))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": _next(request)}
    return render(request, "registration/two_factor_verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponseBase:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user: Any = request.user
    if sign_in.has_two_factor(user) and not user.is_verified():
        return redirect("two_factor_verify")
    device = sign_in.start_enrolment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = sign_in.confirm_enrolment(user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            request.session[RECOVERY_SESSION_KEY] = codes
            messages.success(request, _("Two-step sign-in is on."))
            return redirect("two_factor_recovery_codes")
    context = {
        "form": form,
        "qr": sign_in.qr_svg(device),
        "secret": sign_in.secret_of(device),
        "required": sign_in.two_factor_required(user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/two_factor_enrol.html", context, status=status)


def recovery_codes(request: HttpRequest) -> HttpResponseBase:
    """The new recovery codes, shown once."""
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor")
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes})


def account(request: HttpRequest) -> HttpResponse:
    """Two-step sign-in in the account menu: on or off, set it up, new recovery codes."""
    user: Any = request.user
    context = {
        "enabled": sign_in.has_two_factor(user),
        "required": sign_in.two_factor_required(user),
        "codes_left": sign_in.recovery_codes_left(user),
    }
    return render(request, "registration/two_factor.html", context)


@require_POST
def renew_recovery_codes(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    if not (sign_in.has_two_factor(user) and user.is_verified()):
        return redirect("two_factor")
    request.session[RECOVERY_SESSION_KEY] = sign_in.new_recovery_codes(user)
    return redirect("two_factor_recovery_codes")
