"""Read views: HTTP only; queries come from selectors, rules from permissions."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from decisions import (
    lifecycle,
    numbering,
    page_images,
    parsing,
    permissions,
    register_book,
    rendering,
    revisions,
    selectors,
    services,
)
from decisions.forms import (
    ApproveForm,
    HandOverForm,
    NoteForm,
    ProposeForm,
    ReasonForm,
    SealForm,
    SignForm,
)
from decisions.models import Decision
from decisions.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters


def home(request: HttpRequest) -> HttpResponse:
    """What waits for the user, what was sent to him, his roles, and every decision he may
    see."""
    newest: Any = selectors.newest_decisions(request.user)
    page = Paginator(newest, 25).get_page(parsing.page(request))
    organizations = permissions.organizations_with_roles(request.user)
    drafting_roles = {
        r for r, perms in permissions.ROLE_PERMISSIONS.items() if permissions.DRAFT in perms
    }
    return render(
        request,
        "decisions/home.html",
        {
            "page": page,
            "awaiting": selectors.inbox(request.user),
            "received": selectors.received_by(request.user),
            "organizations": organizations,
            "can_draft": any(drafting_roles & set(roles) for _org, roles in organizations),
            "sees_figures": any(
                {
                    permissions.Role.CHIEF_OF_OFFICE,
                    permissions.Role.CHAIR,
                    permissions.Role.VICE_CHAIR,
                }
                & set(roles)
                for _org, roles in organizations
            ),
        },
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision: the PDF, its content, its history, and the actions open to the user.

    A receiver opening it marks his delivery opened.
    """
    decision = selectors.get_decision_for(request.user, pk)
    services.open_delivery(actor=selectors.acting_user(request.user), decision=decision)
    return render_detail(request, decision)


FOLLOW_UP_LINKS = (
    (Decision.Effect.AMENDS, gettext_lazy("draft a decision amending it")),
    (Decision.Effect.REPLACES, gettext_lazy("replacing it")),
    (Decision.Effect.REPEALS, gettext_lazy("repealing it")),
)


def render_detail(
    request: HttpRequest,
    decision: Decision,
    *,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The decision page; `bound` replaces the empty form of an action that failed."""
    actions = lifecycle.available(request.user, decision)
    forms = action_forms(decision, actions)
    forms.update(bound or {})
    insider = permissions.is_insider(request.user, decision)
    lines = selectors.recipient_lines(decision) if insider else []
    step = selectors.current_step(decision) if insider else None
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "doc": selectors.pdf_context(decision),
            "insider": insider,
            "events": selectors.history(decision) if insider else (),
            "my_deliveries": () if insider else selectors.deliveries_to(request.user, decision),
            "deliveries": selectors.deliveries_of(decision) if actions.see_deliveries else None,
            "recall_reason": selectors.recall_reason(decision),
            "returned": selectors.open_return(decision),
            "step": step,
            "step_due_state": selectors.due_state(step.due_at) if step else "",
            "recipient_lines": lines,
            "unlinked": [line.recipient.text for line in lines if line.unlinked] if insider else [],
            "actions": actions,
            "forms": forms,
            "step_forms": [(row, forms.get(row.action)) for row in actions.open if row.form],
            "bar": action_bar(actions, forms, failed=set(bound or ())),
            "page_count": page_images.known_page_count(decision),
            "signing_key": selectors.signing_key_for(request.user, decision, actions),
            "round_changes": revisions.since_previous_round(decision) if insider else None,
            "follow_up_links": FOLLOW_UP_LINKS if actions.follow_up else (),
        },
        status=status,
    )


def action_bar(
    actions: lifecycle.Actions, forms: dict[str, Form], *, failed: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """The page's one action bar, from the table's rows open to the user: the everyday step
    (primary), the others, and the destructive ones apart. Each item: its row, its form, and
    whether its panel opens at once (its form came back with errors)."""
    groups: dict[str, list[dict[str, Any]]] = {"primary": [], "other": [], "danger": []}
    for row in actions.open:
        if not row.form and row.action != "acknowledge":
            continue  # publish, resend, follow-up: shown by the template on their own
        group = "danger" if row.danger else "primary" if row.primary else "other"
        groups[group].append(
            {"row": row, "form": forms.get(row.action), "open": row.action in failed}
        )
    return groups


def action_forms(decision: Decision, actions: lifecycle.Actions) -> dict[str, Form]:
    """An empty form for each action open to the user."""
    forms: dict[str, Form] = {}
    for name in ("submit", "check"):
        if getattr(actions, name):
            forms[name] = NoteForm(prefix=name)
    for name in ("return_", "withdraw", "void", "recall"):
        if getattr(actions, name):
            forms[name] = ReasonForm(prefix=name)
    if actions.propose:
        forms["propose"] = ProposeForm(decision=decision, prefix="propose")
    if actions.review:
        forms["review"] = ApproveForm(prefix="review")
    if actions.sign:
        forms["sign"] = SignForm(prefix="sign")
    if actions.issue:
        forms["issue"] = SealForm(prefix="issue")
    if actions.hand_over:
        forms["hand_over"] = HandOverForm(decision=decision, prefix="hand_over")
    return forms


@require_GET
def decision_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision as page images, for reading on a phone."""
    decision = selectors.get_decision_for(request.user, pk)
    services.record_pdf_view(
        actor=selectors.acting_user(request.user), decision=decision, download=False
    )
    # A draft's PDF is not rendered to count its pages before the page is sent: its images
    # then come one after another (static/js/pages.js), the first at once.
    count = page_images.known_page_count(decision)
    return render(
        request,
        "decisions/read.html",
        {"decision": decision, "pages": range(1, (count or 1) + 1), "count": count},
    )


@require_GET
def decision_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One page of the decision as a PNG (?w= its width in pixels)."""
    decision = selectors.get_decision_for(request.user, pk)
    width = parsing.optional_number(
        request.GET.get("w"), label=_("Width"), default=900, maximum=page_images.MAX_WIDTH
    )
    png = page_images.page_png(page_images.pdf_bytes(decision), number - 1, width)
    if png is None:
        raise Http404(_("There is no such page."))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@xframe_options_sameorigin
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF, inline for the preview or as a download (?download=1); 404 if not visible.

    An issued decision is served from its stored file, byte for byte, and a signed one from
    the file its leader signed; a draft is rendered once per content (rendering's cache).
    """
    decision = selectors.get_decision_for(request.user, pk)
    filename = selectors.pdf_filename(decision)
    as_attachment = request.GET.get("download") == "1"
    services.record_pdf_view(
        actor=selectors.acting_user(request.user), decision=decision, download=as_attachment
    )
    if stored := decision.pdf or decision.signed_pdf:
        return FileResponse(
            stored.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type="application/pdf",
        )
    response = HttpResponse(rendering.cached_decision_pdf(decision), content_type="application/pdf")
    disposition = "attachment" if as_attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The outgoing register in the columns of Phụ lục IV: every number given, voided ones
    included, a gap report, search, and .xlsx / PDF exports (?format=xlsx|pdf)."""
    register = selectors.get_register_for(request.user, pk)
    query = request.GET.get("q", "").strip()[:200]
    name = f"so-van-ban-di-{register.issuer.code}-{register.series}-{register.year}"
    export = request.GET.get("format")
    if export == "xlsx":
        response = HttpResponse(
            register_book.to_xlsx(register, register_book.rows(register, query=query)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.xlsx"'
        return response
    if export == "pdf":
        response = HttpResponse(
            register_book.to_pdf(register, register_book.rows(register, query=query)),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'inline; filename="{slugify(name)}.pdf"'
        return response
    page = Paginator(register_book.entries(register, query=query), 100).get_page(
        parsing.page(request)
    )
    return render(
        request,
        "decisions/register_detail.html",
        {
            "register": register,
            "columns": register_book.COLUMNS,
            "page": page,
            "rows": [register_book.row_of(decision) for decision in page],
            "query": query,
            "gaps": numbering.find_gaps(register),
        },
    )


def register_list(request: HttpRequest) -> HttpResponse:
    """The registers of the bodies the user oversees."""
    registers = selectors.registers_visible_to(request.user).order_by(
        "issuer__code", "-year", "series"
    )
    return render(request, "decisions/register_list.html", {"registers": registers})


def incoming(request: HttpRequest) -> HttpResponse:
    """ "Văn bản đến": what was sent to the user's bodies and to him, with search and filter."""
    query = request.GET.get("q", "").strip()[:200]
    unread_only = request.GET.get("unread") == "1"
    deliveries: Any = selectors.incoming_for(request.user, query=query, unread_only=unread_only)
    page = Paginator(deliveries, 25).get_page(parsing.page(request))
    return render(
        request,
        "decisions/incoming.html",
        {
            "page": page,
            "query": query,
            "unread_only": unread_only,
        },
    )


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiver confirms receipt ("Đã nhận")."""
    decision = selectors.get_decision_for(request.user, pk)
    services.acknowledge_delivery(actor=selectors.acting_user(request.user), decision=decision)
    messages.success(request, _("Receipt acknowledged."))
    return redirect(decision.get_absolute_url())


@require_POST
def resend(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    """The văn thư sends one delivery again."""
    decision = selectors.get_decision_for(request.user, pk)
    delivery = get_object_or_404(decision.deliveries, pk=delivery_pk)
    services.resend_delivery(actor=selectors.acting_user(request.user), delivery=delivery)
    messages.success(request, _("Sent again."))
    return redirect(decision.get_absolute_url())


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The văn thư publishes (or unpublishes) an issued decision's content; a decision not
    issued (a draft, say) is refused with the reason (400, see decisions.refusals)."""
    decision = selectors.get_decision_for(request.user, pk)
    public = request.POST.get("public") == "1"
    services.publish_decision(
        actor=selectors.acting_user(request.user), decision=decision, public=public
    )
    messages.success(request, _("Published.") if public else _("No longer published."))
    return redirect(decision.get_absolute_url())


@require_POST
def link_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    """The drafter links the Nơi nhận entries to directory bodies, people and groups: the
    links he keeps ticked, and the one he picked (or typed) in each line's search field."""
    decision = selectors.get_decision_for(request.user, pk)
    links: dict[int, services.RecipientLinks] = {}
    for recipient in decision.recipients.all():
        chosen: dict[str, set[int]] = {"o": set(), "u": set(), "g": set()}
        for token in request.POST.getlist(f"keep-{recipient.pk}"):
            kind, _sep, number = token.partition(":")
            if kind not in chosen:
                raise ValidationError(_("Choose bodies and people from the directory."))
            chosen[kind].add(parsing.number(number, label=_("Recipients"), minimum=1))
        if added := request.POST.get(f"add-{recipient.pk}", "").strip():
            if has_control_characters(added):
                raise ValidationError(CONTROL_CHARACTERS_MESSAGE)
            entry = selectors.directory_entry(added)
            if entry is None:
                raise ValidationError(
                    _("“%(text)s” is not in the directory: pick a suggestion.") % {"text": added}
                )
            chosen[entry.kind].add(entry.pk)
        links[recipient.pk] = services.RecipientLinks(
            sorted(chosen["o"]), sorted(chosen["u"]), sorted(chosen["g"])
        )
    services.link_recipients(
        actor=selectors.acting_user(request.user), decision=decision, links=links
    )
    messages.success(request, _("The recipients are linked to the directory."))
    return redirect(decision.get_absolute_url())


def directory_search(request: HttpRequest) -> HttpResponse:
    """Suggestions for a Nơi nhận line: bodies, people and groups matching what was typed
    (without case or diacritics), for the people who draft or check decisions."""
    drafting = permissions.organization_ids_where(request.user, permissions.DRAFT)
    proposing = permissions.organization_ids_where(request.user, permissions.PROPOSE)
    if not (drafting or proposing):
        raise permissions.NotAllowed(_("You may not search the directory."))
    entries = selectors.directory_search(request.GET.get("q", "")[:100])
    return JsonResponse(
        {"results": [{"token": e.token, "label": e.label} for e in entries]},
        json_dumps_params={"ensure_ascii": False},
    )


def dispatch_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable list of the Nơi nhận lines that receive a paper copy (no link to the
    directory): the văn thư's transfer book (sổ chuyển giao, NĐ 30, Phụ lục IV)."""
    decision = selectors.get_decision_for(request.user, pk)
    if not permissions.is_insider(request.user, decision):
        raise permissions.NotAllowed(_("You may not see this list."))
    lines = [line for line in selectors.recipient_lines(decision) if line.unlinked]
    return render(request, "decisions/dispatch_list.html", {"decision": decision, "lines": lines})


def performance(request: HttpRequest) -> HttpResponse:
    """On-time figures for the Chánh Văn phòng and the leaders of the bodies they work in:
    per step, person and body, over a chosen period; the steps overdue now; an .xlsx export."""
    from decisions import performance as figures
    from decisions.models import Organization

    user = selectors.acting_user(request.user)
    ids = {
        *permissions.organization_ids_where(user, permissions.PROPOSE),
        *permissions.organization_ids_where(user, permissions.REVIEW),
    }
    bodies = list(Organization.objects.filter(pk__in=ids))
    if not bodies:
        raise permissions.NotAllowed(_("The on-time figures are for the office and the leaders."))
    today = timezone.localdate()
    try:
        start = _date_param(request, "from") or today - datetime.timedelta(days=29)
        end = _date_param(request, "to") or today
    except ValueError:
        return HttpResponse(_("Give the dates as on a calendar (YYYY-MM-DD)."), status=400)
    if end < start or (end - start).days > 3660:
        return HttpResponse(
            _("Choose a period of at most ten years, ending after it starts."), status=400
        )
    wanted = parsing.optional_id(request.GET.get("body"), label=_("Body"))
    chosen = [body for body in bodies if body.pk == wanted] if wanted else bodies
    if not chosen:
        raise ValidationError(
            _("“%(field)s”: choose one of the bodies listed.") % {"field": _("Body")}
        )
    data = figures.report(bodies=chosen, start=start, end=end)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            figures.to_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="dung-han-{start}-{end}.xlsx"'
        return response
    return render(
        request,
        "decisions/performance.html",
        {
            "data": data,
            "bodies": bodies,
            "chosen": chosen[0].pk if len(chosen) == 1 else None,
            "chart": figures.chart(data.by_step),
            "now": timezone.now(),
        },
    )


def _date_param(request: HttpRequest, name: str) -> datetime.date | None:
    value = request.GET.get(name, "").strip()
    return datetime.date.fromisoformat(value) if value else None
