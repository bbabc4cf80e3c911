"""The drafter's pages: a new draft, editing it, creating one from pasted text, live preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from decisions import (
    docx_import,
    editor,
    lifecycle,
    parsing,
    permissions,
    printed,
    rendering,
    selectors,
    services,
)
from decisions.content import DraftContent, check_size
from decisions.importer import (
    ImportWarning,
    ParsedDecision,
    ParseError,
    issuer_warnings,
    parse_decision_text,
    to_draft_content,
)
from decisions.models import Decision, DecisionEvent, DocumentType, Organization

MAX_PASTE = 500_000


def _issuers(request: HttpRequest) -> list[Organization]:
    user = selectors.acting_user(request.user)
    ids = permissions.organization_ids_where(user, permissions.DRAFT)
    issuers = list(Organization.objects.filter(pk__in=ids, is_issuer=True, active=True))
    if not issuers:
        raise PermissionDenied(_("You may not draft decisions."))
    return issuers


def _issuer(request: HttpRequest, issuers: list[Organization]) -> Organization:
    """The body asked for (?issuer= or the posted field), the first one if none is: one the
    user does not draft for is refused (400), not silently replaced."""
    wanted = parsing.optional_id(
        request.POST.get("issuer") or request.GET.get("issuer"), label=_("Issuing body")
    )
    if wanted is None:
        return issuers[0]
    for issuer in issuers:
        if issuer.pk == wanted:
            return issuer
    raise ValidationError(
        _("“%(field)s”: choose one of the bodies you draft for.") % {"field": _("Issuing body")}
    )


def _editor(
    request: HttpRequest,
    *,
    issuer: Organization,
    issuers: list[Organization],
    header: editor.HeaderForm,
    lists: Any,
    decision: Decision | None = None,
    errors: dict[str, list[str]] | None = None,
    imported: bool = False,
    import_notes: ImportNotes | None = None,
    status: int = 200,
) -> HttpResponse:
    action = reverse("decisions:edit", args=[decision.pk]) if decision else reverse("decisions:new")
    return render(
        request,
        "decisions/editor.html",
        {
            "issuer": issuer,
            "issuers": issuers,
            "header": header,
            "lists": lists,
            "decision": decision,
            "errors": errors or {},
            "imported": imported,
            "import_notes": import_notes,
            "action": action,
            "directory": selectors.directory_bodies(),
            "returned": selectors.open_return(decision) if decision else None,
            # The parts of the chosen document type (decisions/doctypes/); the script
            # static/js/doctype_parts.js shows those of the type chosen in the form.
            "part_texts": editor.part_texts_of(lists),
            "part_fields": _part_fields(header, lists),
            "type_shapes": editor.type_shapes(issuer),
        },
        status=status,
    )


def _part_fields(header: editor.HeaderForm, lists: Any) -> list[str]:
    """The part fields of the document type the form shows ([] for a decision)."""
    from decisions import doctypes

    document_type = getattr(lists, "document_type", None)
    if document_type is None and header.is_bound and header.is_valid():
        document_type = header.cleaned_data["document_type"]
    return list(doctypes.of(document_type).editor_fields)


def _open(
    request: HttpRequest,
    content: DraftContent,
    *,
    issuer: Organization,
    issuers: list[Organization],
    **options: Any,
) -> HttpResponse:
    """The editor on `content`, unsaved yet (new, pasted) or as stored."""
    header = editor.HeaderForm.initial_from(content, issuer)
    return _editor(request, issuer=issuer, issuers=issuers, header=header, lists=content, **options)


def _save(
    request: HttpRequest,
    *,
    issuer: Organization,
    issuers: list[Organization],
    decision: Decision | None,
) -> HttpResponse:
    posted = editor.read(request.POST, issuer=issuer)
    imported = request.POST.get("imported") == "1"
    content = posted.content()
    errors: dict[str, list[str]] = dict(posted.errors)
    if content is not None:
        bodies = [body for body in selectors.directory_bodies() if body.pk != issuer.pk]
        editor.link_directory_names(content.recipients, bodies, content.articles)
        actor = selectors.acting_user(request.user)
        try:
            if decision is None:
                event = DecisionEvent.Kind.IMPORTED if imported else DecisionEvent.Kind.CREATED
                saved = services.create_draft(
                    actor=actor, issuer=issuer, content=content, event=event
                )
            else:
                saved = services.update_draft(actor=actor, decision=decision, content=content)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(saved.get_absolute_url())
    messages.error(request, _("The draft was not saved: correct what is marked below."))
    return _editor(
        request,
        issuer=issuer,
        issuers=issuers,
        header=posted.header,
        lists=posted,
        decision=decision,
        errors=errors,
        imported=imported,
        status=400,
    )


# The editor's live preview (static/js/editor.js) fetches the PDF and shows it in its frame
# through a blob: URL, so that a refresh adds no entry to the browser's history: the editor's
# pages may frame blob: documents they made (Content-Security-Policy, config/settings.py).
editor_policy: Callable[[Any], Any] = csp_update({"frame-src": ["blob:"]})


@editor_policy
@require_http_methods(["GET", "POST"])
def new_draft(request: HttpRequest) -> HttpResponse:
    """A new draft for one of the bodies the user drafts for."""
    issuers = _issuers(request)
    issuer = _issuer(request, issuers)
    if request.method == "POST":
        return _save(request, issuer=issuer, issuers=issuers, decision=None)
    earlier_pk = parsing.optional_id(request.GET.get("affects"), label=_("Earlier decision"))
    effect = request.GET.get("effect", "")
    if earlier_pk is not None and effect in editor.FOLLOW_UP_SUBJECTS:
        earlier = selectors.get_decision_for(request.user, earlier_pk)
        if earlier.status != Decision.Status.ISSUED or earlier.issuer_id != issuer.pk:
            raise permissions.NotAllowed(
                _("Only a decision in force of your body can be amended, replaced or repealed.")
            )
        content = editor.follow_up_content(issuer, earlier, effect)
        return _open(request, content, issuer=issuer, issuers=issuers)
    wanted = parsing.optional_id(request.GET.get("document_type"), label=_("Document type"))
    document_type = DocumentType.objects.filter(pk=wanted).first() if wanted else None
    content = editor.blank_content(issuer, document_type)
    return _open(request, content, issuer=issuer, issuers=issuers)


@editor_policy
@require_http_methods(["GET", "POST"])
def edit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft: its drafter while it is a draft, the office while it checks it."""
    decision = selectors.get_decision_for(request.user, pk)
    if not lifecycle.may(request.user, "edit", decision):
        raise permissions.NotAllowed(_("You may not edit this decision."))
    issuer = decision.issuer
    if request.method == "POST":
        return _save(request, issuer=issuer, issuers=[issuer], decision=decision)
    return _open(
        request, DraftContent.of(decision), issuer=issuer, issuers=[issuer], decision=decision
    )


@editor_policy
@require_http_methods(["GET", "POST"])
def import_draft(request: HttpRequest) -> HttpResponse:
    """Paste the text of an existing decision; the parsed result opens in the editor, to be
    corrected and saved (nothing is saved before that)."""
    issuers = _issuers(request)
    issuer = _issuer(request, issuers)
    context: dict[str, Any] = {"issuers": issuers, "issuer": issuer, "text": "", "error": ""}
    if request.method == "POST":
        text = request.POST.get("text", "")
        if upload := request.FILES.get("file"):
            try:  # a .docx is read into text first (decisions/docx_import.py)
                text = docx_import.uploaded_text(upload.read(docx_import.MAX_DOCX_BYTES + 1))
            except ParseError as error:
                context["error"] = str(error)
                return render(request, "decisions/import.html", context, status=400)
        context["text"] = text
        if not text.strip():
            context["error"] = _("Paste the text of the decision.")
        elif len(text) > MAX_PASTE:
            context["error"] = _("The text is too long.")
        else:
            try:
                parsed = parse_decision_text(text)
                content = to_draft_content(parsed, issuer=issuer)
            except (ParseError, ValidationError) as error:
                context["error"] = " ".join(getattr(error, "messages", [str(error)]))
            else:
                messages.info(
                    request,
                    _("The text was read. Check and correct it below, then save the draft."),
                )
                notes = ImportNotes(
                    warnings=[*parsed.warnings, *issuer_warnings(parsed, issuer)],
                    not_kept=_source_facts_not_kept(parsed),
                )
                return _open(
                    request,
                    content,
                    issuer=issuer,
                    issuers=issuers,
                    imported=True,
                    import_notes=notes,
                )
        return render(request, "decisions/import.html", context, status=400)
    return render(request, "decisions/import.html", context)


@dataclass(frozen=True)
class ImportNotes:
    """What the drafter should know about a text just read: its warnings, and the facts of
    the source that a new draft does not keep (its number, date and signer come later)."""

    warnings: list[ImportWarning]
    not_kept: list[str]


def _source_facts_not_kept(parsed: ParsedDecision) -> list[str]:
    facts = []
    if parsed.reference:
        facts.append(_("its number “%(reference)s”") % {"reference": parsed.reference})
    if parsed.date:
        facts.append(_("its date %(date)s") % {"date": f"{parsed.date:%d/%m/%Y}"})
    if parsed.place:
        facts.append(_("its place “%(place)s”") % {"place": parsed.place})
    if parsed.signature and (parsed.signature.name or parsed.signature.capacity_lines):
        block = " / ".join(parsed.signature.capacity_lines)
        who = ", ".join(part for part in (parsed.signature.name, block) if part)
        facts.append(_("its signer (%(who)s)") % {"who": who})
    if parsed.issuer_from_header:
        facts.append(_("its header “%(issuer)s”") % {"issuer": parsed.issuer_name})
    return facts


@require_POST
@xframe_options_sameorigin
def preview(request: HttpRequest) -> HttpResponse:
    """The editor's content as a draft PDF, without saving anything."""
    if pk := parsing.optional_id(request.POST.get("decision"), label=_("Decision")):
        issuer = selectors.get_decision_for(request.user, pk).issuer
    else:
        issuer = _issuer(request, _issuers(request))
    content = editor.read(request.POST, issuer=issuer).content()
    if content is None:
        return HttpResponse(
            _("Fill in the document type, authority line and subject to see a preview."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    try:
        check_size(content)
    except ValidationError as error:
        return HttpResponse(
            " ".join(error.messages), status=400, content_type="text/plain; charset=utf-8"
        )
    pdf = rendering.render_pdf(printed.from_content(content, issuer=issuer))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="xem-truoc.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
