"""The incoming documents' pages: the register (sổ văn bản đến) and its follow-up book, the
văn thư's registering of paper and e-mail documents, a document's page with its steps, and what
waits for a leader or a handler ("Văn bản cần xử lý"). HTTP only: the rules are in
decisions/incoming_lifecycle.py, the changes in decisions/services/incoming.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from decisions import incoming_book, incoming_forms, incoming_lifecycle, parsing, permissions
from decisions.models import IncomingDocument, IncomingRegister, Organization
from decisions.selectors import acting_user
from decisions.services import incoming as service


def _document_for(user: permissions.AnyUser, pk: int) -> IncomingDocument:
    """The document `pk` if `user` may see it; 404 otherwise (existence is not leaked)."""
    document = (
        permissions.incoming_visible_to(user)
        .select_related("register__organization", "leader", "handler", "registered_by", "sender")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404(_("No such incoming document."))
    return document


def _seen_bodies(user: permissions.AnyUser) -> list[int]:
    return permissions.organization_ids_where(user, permissions.SEE_INCOMING)


@require_GET
def registers(request: HttpRequest) -> HttpResponse:
    """ "Sổ văn bản đến": the incoming registers of the bodies where the user sees them."""
    bodies = Organization.objects.filter(pk__in=_seen_bodies(request.user)).order_by("code")
    found = (
        IncomingRegister.objects.filter(organization__in=bodies)
        .select_related("organization")
        .order_by("organization__code", "-year")
    )
    registering = permissions.organization_ids_where(request.user, permissions.REGISTER_INCOMING)
    return render(
        request,
        "incoming/registers.html",
        {
            "registers": found,
            "bodies": bodies,
            "year": timezone.localdate().year,
            "can_register": bool(registering),
        },
    )


def _book_export(register: IncomingRegister, book: str, query: str, export: str) -> HttpResponse:
    name = slugify(
        f"{'so-den' if book == 'register' else 'theo-doi-giai-quyet'}-"
        f"{register.organization.code}-{register.year}"
    )
    if export == "xlsx":
        response = HttpResponse(
            incoming_book.to_xlsx(register, book=book, query=query),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(
        incoming_book.to_pdf(register, book=book, query=query), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_GET
def book(request: HttpRequest, organization_pk: int, year: int) -> HttpResponse:
    """One body's register of one year in the columns of Phụ lục IV (?book=follow-up: the
    follow-up of the handling), with search, pages and .xlsx / PDF (?format=xlsx|pdf)."""
    if organization_pk not in _seen_bodies(request.user) or not 1945 <= year <= 2999:
        raise Http404(_("No such register."))
    register = (
        IncomingRegister.objects.select_related("organization")
        .filter(organization_id=organization_pk, year=year, confidential=False)
        .first()
    )
    if register is None:
        organization = Organization.objects.get(pk=organization_pk)
        register = IncomingRegister(organization=organization, year=year)
    kind = "follow-up" if request.GET.get("book") == "follow-up" else "register"
    query = request.GET.get("q", "").strip()[:200]
    export = request.GET.get("format")
    if export in ("xlsx", "pdf") and register.pk:
        return _book_export(register, kind, query, export)
    documents: Any = (
        incoming_book.entries(register, query=query)
        if register.pk
        else IncomingDocument.objects.none()
    )
    page = Paginator(documents, 50).get_page(parsing.page(request))
    return render(
        request,
        "incoming/book.html",
        {
            "register": register,
            "book": kind,
            "title": incoming_book.TITLES[kind],
            "columns": incoming_book.BOOKS[kind],
            "page": page,
            "rows": [incoming_book.row_of(document, kind) for document in page],
            "query": query,
        },
    )


def _register(request: HttpRequest, channel: IncomingDocument.Channel) -> HttpResponse:
    user = acting_user(request.user)
    if not permissions.organization_ids_where(user, permissions.REGISTER_INCOMING):
        raise permissions.NotAllowed(
            _("Only the body's records clerk registers incoming documents.")
        )
    form_class = (
        incoming_forms.PaperForm
        if channel == IncomingDocument.Channel.PAPER
        else incoming_forms.EmailForm
    )
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, user=user)
        if form.is_valid():
            if isinstance(form, incoming_forms.EmailForm):
                pdf, filename = form.pdf()
            else:
                pdf, filename = form.cleaned_data["scan"], "van-ban-den.pdf"
            document = service.register_received(
                form.cleaned_data["organization"],
                form.received(),
                channel=channel,
                pdf=pdf,
                filename=filename,
                actor=user,
            )
            messages.success(
                request,
                _("Registered with arrival number %(number)s.")
                % {"number": document.arrival_number},
            )
            return redirect(document.get_absolute_url())
        status = 400
    else:
        form = form_class(user=user)
    return render(
        request,
        "incoming/register_form.html",
        {"form": form, "channel": channel},
        status=status,
    )


def register_paper(request: HttpRequest) -> HttpResponse:
    """The văn thư registers a paper document from its scan; the scan gets the "ĐẾN" stamp."""
    return _register(request, IncomingDocument.Channel.PAPER)


def register_email(request: HttpRequest) -> HttpResponse:
    """The văn thư registers a document received by e-mail (.eml, or its PDF)."""
    return _register(request, IncomingDocument.Channel.EMAIL)


def _detail(
    request: HttpRequest,
    document: IncomingDocument,
    *,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = incoming_lifecycle.available(request.user, document)
    bound = bound or {}
    bar: dict[str, list[dict[str, Any]]] = {"primary": [], "other": [], "danger": []}
    for row in rows:
        if row.action == "register":
            continue
        group = "danger" if row.danger else "primary" if row.primary else "other"
        form = bound.get(row.action) or (
            incoming_forms.step_form(row.action, document) if row.form else None
        )
        bar[group].append({"row": row, "form": form, "open": row.action in bound})
    return render(
        request,
        "incoming/detail.html",
        {
            "document": document,
            "events": document.events.select_related("actor").order_by("at", "pk"),
            "bar": bar,
            "has_actions": any(bar.values()),
            "overdue": incoming_lifecycle.is_overdue(document),
        },
        status=status,
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One incoming document: its PDF, its fields, its history and what the user may do."""
    return _detail(request, _document_for(request.user, pk))


@require_GET
@xframe_options_sameorigin
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The document's PDF (a paper document's: with the "ĐẾN" stamp; ?original=1: the scan)."""
    document = _document_for(request.user, pk)
    stored = (
        document.original_file
        if request.GET.get("original") == "1" and document.original_file
        else document.file
    )
    if not stored:
        raise Http404(_("This document has no file."))
    response = FileResponse(
        stored.open("rb"),
        content_type="application/pdf",
        filename=f"van-ban-den-{document.arrival_number}.pdf",
    )
    return response


@require_POST
def step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One step of the table, posted from the document's page."""
    action = {"return": "return_"}.get(slug, slug)
    if action not in incoming_forms.FORMS:
        raise Http404
    document = _document_for(request.user, pk)
    user = acting_user(request.user)
    row = incoming_lifecycle.check(action, document=document, actor=user)  # 403 / 400 first
    form = incoming_forms.step_form(action, document, request.POST)
    if not form.is_valid():
        return _detail(request, document, bound={action: form}, status=400)
    data = form.cleaned_data
    try:
        if action == "forward":
            service.forward(document, actor=user, leader=data["leader"], note=data["note"])
        elif action == "direct":
            service.direct(
                document,
                actor=user,
                direction=data["direction"],
                handler=data["handler"],
                working_days=data["working_days"],
            )
        elif action == "assign":
            service.assign(
                document,
                actor=user,
                handler=data["handler"],
                working_days=data["working_days"],
                note=data["note"],
            )
        elif action == "start":
            service.start(document, actor=user)
        elif action == "done":
            service.done(
                document, actor=user, reply_reference=data["reply_reference"], note=data["note"]
            )
        elif action == "return_":
            service.return_to_clerk(document, actor=user, reason=data["reason"])
        else:
            service.refuse(document, actor=user, reason=data["reason"])
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _detail(request, document, bound={action: form}, status=400)
    messages.success(request, _("Done: %(step)s.") % {"step": row.label})
    return redirect(document.get_absolute_url())


@require_GET
def work(request: HttpRequest) -> HttpResponse:
    """ "Văn bản cần xử lý": documents waiting for the user's direction and those he handles,
    the overdue ones marked; for the văn thư, those registered and not yet passed on."""
    user = request.user
    today = timezone.localdate()
    base = IncomingDocument.objects.select_related("register__organization", "handler", "leader")
    to_direct = base.filter(incoming_lifecycle.to_direct_filter(user)).order_by("arrived_at")
    to_handle = base.filter(incoming_lifecycle.to_handle_filter(user)).order_by(
        "due_date", "arrived_at"
    )
    registering = permissions.organization_ids_where(user, permissions.REGISTER_INCOMING)
    to_pass_on = base.filter(
        status=IncomingDocument.Status.REGISTERED, register__organization_id__in=registering
    ).order_by("arrived_at")
    return render(
        request,
        "incoming/work.html",
        {
            "to_direct": list(to_direct[:200]),
            "to_handle": list(to_handle[:200]),
            "to_pass_on": list(to_pass_on[:200]),
            "today": today,
        },
    )


def waiting_counts(user: permissions.AnyUser) -> dict[str, int]:
    """For the home page: how many documents wait for the user, and how many are overdue."""
    if not user.is_authenticated:
        return {"waiting": 0, "overdue": 0}
    mine = Q(incoming_lifecycle.to_direct_filter(user)) | Q(
        incoming_lifecycle.to_handle_filter(user)
    )
    counts = IncomingDocument.objects.filter(mine).aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=incoming_lifecycle.overdue_filter()),
    )
    return {"waiting": counts["waiting"] or 0, "overdue": counts["overdue"] or 0}
