"""Forms: input validation only; persisting goes through services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from decisions import jobs, permissions
from decisions.models import Decision, User
from decisions.text import refuse_control_characters, refuse_control_characters_multiline


class CleanTextMixin:
    """Every form of ours: its text fields refuse control characters (NUL, which PostgreSQL
    cannot store, and the other C0 ones), with a message on the field. A multi-line field
    (a Textarea) keeps tab, line feed and carriage return."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(
                    refuse_control_characters_multiline if multiline else refuse_control_characters
                )


class LoginForm(CleanTextMixin, AuthenticationForm):
    """Django's login form with messages of our own catalogue (Django's vi one lacks them)."""

    error_messages = {
        "invalid_login": _("Wrong username or password. Note that both are case-sensitive."),
        "inactive": _("This account has been deactivated."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's form only sets the widget's maxlength: a longer name would reach
        # authenticate() and the failed-login record (a 500 on PostgreSQL, found by the
        # property-based test); refuse it as a field error instead.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(getattr(username, "max_length", None) or 150))


class PasswordResetForm(CleanTextMixin, auth_forms.PasswordResetForm):
    """Django's form, its e-mail queued for the worker like every other (a mail server that is
    down delays it, never loses it, and the page does not wait)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            jobs.queue_mail(
                key=f"password-reset-{uuid.uuid4()}", address=to_email, subject=subject, body=body
            )


class LeaderChoiceField(forms.ModelChoiceField):
    """A leader shown with his printed title: "Võ Tùng — PHÓ CHỦ TỊCH"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} — {obj.title}" if obj.title else obj.get_full_name()


class NoteForm(CleanTextMixin, forms.Form):
    """An optional comment that goes into the history."""

    note = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(CleanTextMixin, forms.Form):
    """A mandatory reason: returning, withdrawing, voiding."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )


class ProposeForm(NoteForm):
    """The office proposes the draft to a leader who may sign it."""

    signer = LeaderChoiceField(
        label=_("Signer"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose the leader who signs."),
            "invalid_choice": _("This leader may not sign this decision."),
        },
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = permissions.signer_candidates(decision)
        _offer(self, "signer", User.objects.filter(pk__in=[u.pk for u in candidates]))


class HandOverForm(NoteForm):
    """The reviewing leader hands the draft to another leader."""

    to = LeaderChoiceField(
        label=_("Hand over to"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose a leader."),
            "invalid_choice": _("This leader may not take over this decision."),
        },
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = permissions.users_with_permission(permissions.REVIEW, decision.issuer)
        _offer(self, "to", leaders.exclude(pk=decision.signer_id or 0).order_by("full_name"))


def _secret_field(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter the password or PIN of the signing key.")},
    )


class SignForm(CleanTextMixin, forms.Form):
    """The leader confirms his digital signature with his key's password or PIN."""

    pin = _secret_field(_("Password or PIN of your signing key"))


class SealForm(CleanTextMixin, forms.Form):
    """The văn thư confirms the body's seal signature with the seal key's PIN."""

    pin = _secret_field(_("PIN of the body's seal key"))


class ApproveForm(NoteForm):
    """The leader approves for signature, and may sign in the same step."""

    sign_now = forms.BooleanField(label=_("Also sign it now"), required=False)
    pin = _secret_field(_("Password or PIN of your signing key (to sign now)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sign_now") and not data.get("pin"):
            self.add_error("pin", _("Enter the password or PIN of the signing key."))
        return data


def _offer(form: forms.Form, name: str, people: Any) -> None:
    """Limit a leader field's choices to `people`."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a LeaderChoiceField
    field.queryset = people
