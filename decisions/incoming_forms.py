"""Forms of the incoming documents: registering (paper, e-mail) and each step of the table
(decisions/incoming_lifecycle.py). Input validation only; the services persist."""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
import io
from email.message import EmailMessage
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import permissions
from decisions.forms import CleanTextMixin
from decisions.models import IncomingDocument, Organization, User
from decisions.services.incoming import Received

MAX_WORKING_DAYS = 90


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} — {obj.title}" if obj.title else obj.get_full_name()


def _read_limited(upload: UploadedFile) -> bytes:
    limit = settings.DECISIONS_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )
    return upload.read()


def _pdf(data: bytes) -> bytes:
    """A readable PDF, or a clear message."""
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        raise forms.ValidationError(_("This is not a PDF file."))
    try:
        pages = PdfReader(io.BytesIO(data)).pages
        if not pages:
            raise forms.ValidationError(_("The PDF file has no page."))
        _first = (pages[0].mediabox, pages[0].rotation)  # what the stamp needs
    except forms.ValidationError:
        raise
    except Exception as error:  # any failure to read an uploaded file is a refusal
        raise forms.ValidationError(_("The PDF file cannot be read.")) from error
    return data


class ReceivedForm(CleanTextMixin, forms.Form):
    """The register's fields the văn thư types (Phụ lục IV)."""

    organization = forms.ModelChoiceField(
        label=gettext_lazy("Receiving body"), queryset=Organization.objects.none()
    )
    sender_name = forms.CharField(label=gettext_lazy("Sender (author)"), max_length=300)
    reference = forms.CharField(
        label=gettext_lazy("Number and symbol"), max_length=100, required=False
    )
    document_date = forms.DateField(
        label=gettext_lazy("Document date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    document_type = forms.CharField(
        label=gettext_lazy("Document type"), max_length=100, required=False
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"), choices=IncomingDocument.Urgency.choices, required=False
    )
    pages = forms.IntegerField(
        label=gettext_lazy("Pages"), min_value=1, max_value=10000, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = permissions.organization_ids_where(user, permissions.REGISTER_INCOMING)
        queryset = Organization.objects.filter(pk__in=bodies).order_by("code")
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for mypy
        field.queryset = queryset
        if len(bodies) == 1:
            field.initial = bodies[0]

    def received(self) -> Received:
        data = self.cleaned_data
        return Received(
            sender_name=data["sender_name"],
            subject=data["subject"],
            reference=data.get("reference") or "",
            document_date=data.get("document_date"),
            document_type=data.get("document_type") or "",
            urgency=data.get("urgency") or "",
            pages=data.get("pages"),
            note=data.get("note") or "",
        )


class PaperForm(ReceivedForm):
    """A paper document: its scan (PDF) and the fields typed from it."""

    scan = forms.FileField(label=gettext_lazy("The scan (PDF)"))

    field_order = ["organization", "scan"]

    def clean_scan(self) -> bytes:
        upload = self.cleaned_data["scan"]
        return _pdf(_read_limited(upload))


class EmailForm(ReceivedForm):
    """A document received by e-mail: the message (.eml, its fields are read from it) or its
    PDF with the fields typed."""

    message = forms.FileField(label=gettext_lazy("The e-mail (.eml)"), required=False)
    attachment = forms.FileField(label=gettext_lazy("Or its PDF"), required=False)

    field_order = ["organization", "message", "attachment"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read from the message when one is given.
        for name in ("sender_name", "subject"):
            self.fields[name].required = False
        self.parsed: ParsedMail | None = None

    def clean_message(self) -> ParsedMail | None:
        upload = self.cleaned_data.get("message")
        if not upload:
            return None
        return parse_eml(_read_limited(upload))

    def clean_attachment(self) -> bytes | None:
        upload = self.cleaned_data.get("attachment")
        return _pdf(_read_limited(upload)) if upload else None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        parsed: ParsedMail | None = data.get("message")
        if parsed is None and not data.get("attachment"):
            if not self.errors.get("message") and not self.errors.get("attachment"):
                raise forms.ValidationError(_("Upload the e-mail (.eml) or its PDF."))
            return data
        if parsed is not None:
            self.parsed = parsed
            data["sender_name"] = data.get("sender_name") or parsed.sender
            data["subject"] = data.get("subject") or parsed.subject
            if not data.get("document_date") and parsed.date is not None:
                data["document_date"] = parsed.date
        for name in ("sender_name", "subject"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def pdf(self) -> tuple[bytes, str]:
        if self.parsed is not None:
            return self.parsed.pdf, self.parsed.filename
        return self.cleaned_data["attachment"], "van-ban-den.pdf"


class ParsedMail:
    """What the register takes from an e-mail: sender, subject, date, its PDF attachment."""

    def __init__(
        self, *, sender: str, subject: str, date: datetime.date | None, pdf: bytes, filename: str
    ) -> None:
        self.sender, self.subject, self.date = sender, subject, date
        self.pdf, self.filename = pdf, filename


def parse_eml(data: bytes) -> ParsedMail:
    """Read an .eml file (RFC 5322, Python's email package with the default policy)."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message["From"] or message["Subject"]):
        raise forms.ValidationError(_("This is not an e-mail file (.eml)."))
    pdfs = []
    for part in message.iter_attachments():
        filename = part.get_filename() or ""
        if part.get_content_type() == "application/pdf" or filename.lower().endswith(".pdf"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.startswith(b"%PDF-"):
                pdfs.append((payload, filename or "van-ban-den.pdf"))
    if not pdfs:
        raise forms.ValidationError(
            _("This e-mail has no PDF attachment: register the document from its PDF instead.")
        )
    pdf, filename = pdfs[0]
    _pdf(pdf)
    sender_name, sender_address = email.utils.parseaddr(str(message["From"] or ""))
    date = None
    if message["Date"]:
        try:
            date = timezone.localdate(email.utils.parsedate_to_datetime(str(message["Date"])))
        except (TypeError, ValueError):
            date = None
    return ParsedMail(
        sender=(sender_name or sender_address)[:300],
        subject=str(message["Subject"] or "")[:2000],
        date=date,
        pdf=pdf,
        filename=filename,
    )


# --- The steps ----------------------------------------------------------------------------------


def _people(document: IncomingDocument, permission: str) -> Any:
    return permissions.users_with_permission(permission, document.register.organization).order_by(
        "full_name"
    )


class ForwardForm(CleanTextMixin, forms.Form):
    leader = PersonChoiceField(label=gettext_lazy("Leader"), queryset=User.objects.none())
    note = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, document: IncomingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _people(document, permissions.DIRECT_INCOMING)  # type: ignore[attr-defined]


class AssignForm(CleanTextMixin, forms.Form):
    handler = PersonChoiceField(
        label=gettext_lazy("Handler (in charge)"), queryset=User.objects.none()
    )
    working_days = forms.IntegerField(
        label=gettext_lazy("Due in working days"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        initial=5,
    )
    note = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, document: IncomingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _people(document, permissions.HANDLE_INCOMING)  # type: ignore[attr-defined]


class DirectForm(AssignForm):
    direction = forms.CharField(
        label=gettext_lazy("Direction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["direction", "handler", "working_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class DoneForm(CleanTextMixin, forms.Form):
    reply_reference = forms.CharField(
        label=gettext_lazy("Number and symbol of the reply (if any)"),
        max_length=100,
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IncomingReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give a reason.")},
    )


class StartForm(forms.Form):
    """No field: starting is one click."""


FORMS: dict[str, type[forms.Form]] = {
    "forward": ForwardForm,
    "direct": DirectForm,
    "assign": AssignForm,
    "start": StartForm,
    "done": DoneForm,
    "return_": IncomingReasonForm,
    "refuse": IncomingReasonForm,
}
NEEDS_DOCUMENT = frozenset({"forward", "direct", "assign"})


def step_form(action: str, document: IncomingDocument, data: Any = None) -> forms.Form:
    form_class = FORMS[action]
    kwargs: dict[str, Any] = {"prefix": action}
    if action in NEEDS_DOCUMENT:
        kwargs["document"] = document
    return form_class(data, **kwargs)
