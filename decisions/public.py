"""Pages for everyone, without login: check that a decision is genuine; read published ones."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import parsing, selectors
from decisions.forms import CleanTextMixin
from decisions.models import Decision, DecisionEvent
from decisions.signing.verification import PdfReport, verify_pdf
from decisions.text import fold

PUBLIC_STATUSES = (Decision.Status.ISSUED, Decision.Status.RECALLED, Decision.Status.VOIDED)


class UploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("The PDF file to check"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = settings.DECISIONS_VERIFY_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (at most %(limit)d MB).") % {"limit": limit // 1048576}
            )
        data: bytes = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        return data


def _issued() -> QuerySet[Decision]:
    return Decision.objects.filter(status__in=PUBLIC_STATUSES).select_related(
        "issuer", "document_type"
    )


@login_not_required
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """What a verification address or QR code shows: the decision's identity and status."""
    decision = _issued().filter(verification_token=token).first()
    if decision is None:
        raise Http404(_("No issued decision has this verification code."))
    return _verification_page(request, decision)


def _verification_page(
    request: HttpRequest, decision: Decision, *, report: PdfReport | None = None
) -> HttpResponse:
    status_label, later = selectors.standing(decision)
    return render(
        request,
        "decisions/public/verify.html",
        {
            "status_label": status_label,
            "later": later,
            "decision": decision,
            "snapshot": decision.snapshot or {},
            "doc": selectors.pdf_context(decision) if decision.is_public else None,
            "upload_matched": report is not None,
            "test_signed": decision.events.filter(
                kind__in=[DecisionEvent.Kind.SIGNED, DecisionEvent.Kind.SEALED],
                data__test_signature=True,
            ).exists(),
            "report": report,
        },
    )


@login_not_required
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Upload a PDF: is it, byte for byte, a decision we issued, and are its signatures valid?"""
    report = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            report = verify_pdf(form.cleaned_data["file"])
            if report.decision is not None:
                return _verification_page(request, report.decision, report=report)
            form.add_error(
                "file",
                _(
                    "This file is not a decision issued through this system, or it was changed "
                    "after issuing."
                ),
            )
        return render(
            request, "decisions/public/upload.html", {"form": form, "report": report}, status=400
        )
    return render(request, "decisions/public/upload.html", {"form": UploadForm()})


@login_not_required
def published(request: HttpRequest) -> HttpResponse:
    """The decisions the văn thư has published, searchable without diacritics."""
    query = request.GET.get("q", "").strip()[:200]
    decisions = _issued().filter(is_public=True)
    for word in fold(query).split():
        decisions = decisions.filter(search_text__contains=word)
    page = Paginator(decisions.order_by("-issued_at", "-pk"), 25).get_page(parsing.page(request))
    return render(request, "decisions/public/published.html", {"page": page, "query": query})


class PublishedFeed(Feed):
    """An Atom feed of the published decisions."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Published decisions")

    def link(self) -> str:
        return reverse("public:published")

    def items(self) -> QuerySet[Decision]:
        return _issued().filter(is_public=True).order_by("-issued_at", "-pk")[:50]

    def item_title(self, item: Decision) -> str:
        return f"{item.reference}: {item.subject}"

    def item_description(self, item: Decision) -> str:
        return f"{item.issuer}, {item.issued_on:%d/%m/%Y}"

    def item_link(self, item: Decision) -> str:
        return reverse("public:verify", args=[item.verification_token])

    def item_pubdate(self, item: Decision) -> object:
        return item.issued_at


published_feed = login_not_required(PublishedFeed())


@login_not_required
def dev_crl(request: HttpRequest) -> HttpResponse:
    """The development CA's revocation list, at the address its certificates name."""
    from django.conf import settings

    from decisions.signing import pki

    crl = pki.crl_der() if settings.DECISIONS_TRUST_DEV_PKI else None
    if crl is None:
        raise Http404(_("There is no development certification authority here."))
    return HttpResponse(crl, content_type="application/pkix-crl")
