"""The administrator's screens: bodies, people, document types, registers, the directory.

Decisions are never edited here: every change goes through the services (validation,
permission, history), so their pages are read-only, and issued ones are frozen anyway.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from decisions import permissions, selectors
from decisions.forms import CleanTextMixin
from decisions.models import (
    Attachment,
    Decision,
    DecisionEvent,
    DecisionTemplate,
    DocumentType,
    Holiday,
    IssuedDocumentType,
    Organization,
    OutgoingMail,
    Recipient,
    RecipientGroup,
    Register,
    RoleEvent,
    Sector,
    SigningKey,
    StepDeadline,
    User,
    WorkerHeartbeat,
)


class SectorInline(admin.TabularInline):
    model = Sector
    extra = 0


class IssuedDocumentTypeInline(admin.TabularInline):
    """The document types the body issues (none listed: every type), each from its register
    series (blank: the type's own); the editor offers only these."""

    model = IssuedDocumentType
    extra = 0


class StepDeadlineInline(admin.TabularInline):
    """The body's own deadlines per step, in working days (default: decisions/lifecycle.py)."""

    model = StepDeadline
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Bodies. Who holds which role in a body is set on each person's page."""

    list_display = (
        "code",
        "identifier",
        "one_line_name",
        "abbreviation",
        "level",
        "is_issuer",
        "active",
    )
    list_filter = ("level", "is_issuer", "active")
    search_fields = (
        "code",
        "identifier",
        "name",
        "name_in_text",
        "search_name",
        "abbreviation",
        "place_name",
    )
    autocomplete_fields = ("parent",)
    inlines = [SectorInline, StepDeadlineInline, IssuedDocumentTypeInline]

    @admin.display(description=_("printed name"))
    def one_line_name(self, obj: Organization) -> str:
        return obj.one_line_name


@admin.register(RoleEvent)
class RoleEventAdmin(admin.ModelAdmin):
    """Who gave or took which role in which body, and when: read only."""

    list_display = ("at", "user", "organization", "role", "granted", "actor")
    list_filter = ("granted", "role")
    search_fields = ("user__username", "user__full_name", "organization__code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RecipientGroup)
class RecipientGroupAdmin(admin.ModelAdmin):
    """Named lists of receivers ("Các sở, ban, ngành tỉnh"): a Nơi nhận line linked to a group
    delivers to each of its bodies and people."""

    list_display = ("name", "active")
    list_filter = ("active",)
    search_fields = ("name", "search_name")
    autocomplete_fields = ("organizations", "users")


class DecisionTemplateForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = DecisionTemplate
        fields = ("body", "name", "content", "active")

    def clean_content(self) -> Any:
        """The draft's JSON shape (decisions/templates_lib.py), readable into the editor."""
        from decisions.templates_lib import KEPT

        content = self.cleaned_data["content"]
        if not isinstance(content, dict) or not {"document_type", "articles"} <= set(content):
            raise forms.ValidationError(
                _("The content must be a draft's JSON, with at least %(keys)s.")
                % {"keys": ", ".join(KEPT)}
            )
        return content


@admin.register(DecisionTemplate)
class DecisionTemplateAdmin(admin.ModelAdmin):
    """Templates of common decisions, per body ("Tạo từ mẫu" on the new-draft page). The Chánh
    Văn phòng saves a draft as one from its page; blanks are written "[họ và tên]"."""

    form = DecisionTemplateForm
    list_display = ("name", "body", "active", "updated_at")
    list_filter = ("active", "body")
    search_fields = ("name",)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "organization")
    list_filter = ("organization",)
    search_fields = ("name",)


class PersonForm(CleanTextMixin, UserChangeForm):
    """The person's roles in his own body, as checkboxes (kept as object permissions on the
    body, see decisions/permissions.py)."""

    role_set = forms.MultipleChoiceField(
        label=_("roles in his body"),
        choices=permissions.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What this person may do in the body he belongs to."),
    )

    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.organization_id:
            self.initial["role_set"] = [
                role.value
                for role in permissions.roles_of(self.instance, self.instance.organization)
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role_set") and not data.get("organization"):
            self.add_error("role_set", _("Choose the person's body before giving him roles."))
        return data

    def save_roles(self, user: User, actor: User | None = None) -> None:
        organization = user.organization
        if organization is None:
            return
        wanted = {permissions.Role(value) for value in self.cleaned_data.get("role_set", [])}
        held = permissions.roles_of(user, organization)
        for role in wanted - held:
            permissions.grant_role(user=user, organization=organization, role=role, actor=actor)
        for role in held - wanted:
            permissions.revoke_role(user=user, organization=organization, role=role, actor=actor)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonForm
    list_display = ("username", "full_name", "title", "organization", "is_active")
    list_filter = ("is_active", "is_staff", "organization")
    search_fields = ("username", "full_name", "email")

    readonly_fields = ("roles", "last_login", "date_joined")  # facts, not settings
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {
                "fields": (
                    "full_name",
                    "title",
                    "organization",
                    "sectors",
                    "email",
                    "role_set",
                    "roles",
                    "signature_image",
                )
            },
        ),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "title",
                    "organization",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if isinstance(form, PersonForm):
            form.save_roles(form.instance, actor=selectors.acting_user(request.user))

    @admin.display(description=_("roles in every body"))
    def roles(self, obj: User) -> str:
        rows = [
            (str(organization), ", ".join(str(role.label) for role in roles))
            for organization, roles in permissions.organizations_with_roles(obj)
        ]
        return format_html_join("", "<div>{}: {}</div>", rows) or "—"


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "kind", "series")
    list_filter = ("kind",)
    search_fields = ("name", "abbreviation")


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("issuer", "series", "year", "confidential", "number_format", "last_number")
    list_filter = ("year", "confidential", "issuer")
    readonly_fields = ("last_number",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once a number was given, the register's identity and format are history.
        if obj is not None and obj.last_number:
            return ("issuer", "series", "year", "confidential", "number_format", "last_number")
        return self.readonly_fields


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or ()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RecipientInline(ReadOnlyInline):
    model = Recipient
    fields = ("position", "text", "same_as_article")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("title", "size", "uploaded_by", "uploaded_at")


class EventInline(ReadOnlyInline):
    model = DecisionEvent
    fields = ("at", "kind", "actor", "note")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("reference", "subject", "issuer", "status", "drafter", "updated_at")
    list_filter = ("status", "issuer", "document_type")
    search_fields = ("reference", "subject")
    list_select_related = ("issuer", "drafter")
    inlines = [RecipientInline, AttachmentInline, EventInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        # Administering the site is not reading its drafts: the administrator sees here only
        # what his own roles let him see on the decision pages (none, without a role).
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=permissions.decisions_visible_to(request.user).values("pk"))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SigningKeyForm(CleanTextMixin, forms.ModelForm):
    """Register a key that lives on a token or HSM (or a key file): its certificate is
    uploaded here; the private key stays where it is."""

    certificate_file = forms.FileField(
        label=_("certificate (PEM or DER)"),
        help_text=_("The holder's certificate, as issued by the certification authority."),
    )

    class Meta:
        model = SigningKey
        fields = ("user", "organization", "backend", "location", "key_label")

    def clean(self) -> dict[str, Any]:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        data = super().clean() or {}
        if bool(data.get("user")) == bool(data.get("organization")):
            raise forms.ValidationError(_("Choose either a person or an organization (seal)."))
        upload = data.get("certificate_file")
        if upload is not None:
            raw = upload.read()
            try:
                certificate = (
                    x509.load_pem_x509_certificate(raw)
                    if raw.lstrip().startswith(b"-----")
                    else x509.load_der_x509_certificate(raw)
                )
            except ValueError as error:
                raise forms.ValidationError(_("This file is not a certificate.")) from error
            data["certificate_der"] = certificate.public_bytes(serialization.Encoding.DER)
        return data


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Keys are registered, never edited: a new certificate is a new key (the old one is
    deactivated), so that history keeps what each signature was made with."""

    form = SigningKeyForm
    list_display = (
        "subject",
        "user",
        "organization",
        "backend",
        "valid_until",
        "is_test",
        "active",
        "failed_attempts",
        "locked_until",
    )
    list_filter = ("backend", "is_test", "active")
    search_fields = ("subject", "serial", "user__username", "organization__code")
    autocomplete_fields = ("user", "organization")
    actions = ("unlock_keys",)

    @admin.action(description=_("Unlock the selected keys (wrong PINs)"))
    def unlock_keys(self, request: HttpRequest, queryset: Any) -> None:
        """Unlock keys locked after too many wrong PINs; each unlock goes into the admin log."""
        from decisions.signing import attempts

        for key in queryset:
            attempts.unlock_key(key=key, actor=request.user)  # type: ignore[arg-type]
            self.log_change(request, key, _("Unlocked after wrong PINs."))
        self.message_user(request, _("Keys unlocked: %(count)d.") % {"count": len(queryset)})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: SigningKey, form: Any, change: bool) -> None:
        from decisions.signing import provision

        data = form.cleaned_data
        saved = provision.register_key(
            user=data.get("user"),
            organization=data.get("organization"),
            backend=data["backend"],
            location=data["location"],
            key_label=data.get("key_label", ""),
            certificate_der=data["certificate_der"],
        )
        obj.pk = saved.pk


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """What the workers sent, are still trying to send, or gave up on (and why)."""

    list_display = ("created_at", "address", "subject", "sent_at", "attempts", "gave_up_at")
    list_filter = ("sent_at", "gave_up_at")
    search_fields = ("address", "subject")
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """The background workers and when each was last seen alive."""

    list_display = ("hostname", "pid", "started_at", "seen_at")
    readonly_fields = ("worker_id", "hostname", "pid", "started_at", "seen_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# django-tasks' own table is the engine's bookkeeping (English, internal): the outgoing
# e-mails above are what an administrator follows.
admin.site.unregister(DBTaskResult)

# The exchange's received packages (read only) are registered with the exchange's code.
from decisions import delegation_admin  # noqa: E402, F401 - delegations (TL., TUQ., Q.)
from decisions.exchange import admin as exchange_admin  # noqa: E402, F401
from decisions.exchange import transport_admin  # noqa: E402, F401 - partners, sent packages
