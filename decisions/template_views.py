"""Templates of common decisions: a new draft from one, and saving a draft as one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from decisions import editor_views, parsing, permissions, selectors, templates_lib
from decisions.models import DecisionTemplate
from decisions.text import has_control_characters


@editor_views.editor_policy
@require_GET
def new_from_template(request: HttpRequest) -> HttpResponse:
    """The editor filled with a template of a body the user drafts for (?template=ID);
    nothing is saved before the drafter saves it. 404 for another body's template."""
    editor_views._issuers(request)  # 403 for who drafts for no body
    pk = parsing.optional_id(request.GET.get("template"), label=_("Template"))
    if pk is None:
        raise ValidationError(_("Choose a template."))
    template = templates_lib.usable_template(selectors.acting_user(request.user), pk)
    if template is None:
        raise Http404
    content = templates_lib.content_of(template)
    messages.info(
        request,
        _(
            "The template “%(name)s” was filled in. Replace the blanks in square brackets, "
            "then save."
        )
        % {"name": template.name},
    )
    return editor_views._open(request, content, issuer=template.body, issuers=[template.body])


@require_http_methods(["GET", "POST"])
def save_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Chánh Văn phòng keeps a decision's text as a template of its body (403 for
    others who see it, 404 for who does not)."""
    decision = selectors.get_decision_for(request.user, pk)
    actor = selectors.acting_user(request.user)
    if not templates_lib.may_save_template(actor, decision):
        raise permissions.NotAllowed(_("Only the chief of the office keeps the body's templates."))
    context = {
        "decision": decision,
        "name": "",
        "error": "",
        "templates": DecisionTemplate.objects.filter(body=decision.issuer, active=True),
    }
    if request.method == "POST":
        name = request.POST.get("name", "")
        context["name"] = name
        try:
            if has_control_characters(name):
                raise ValidationError(_("The name contains characters that are not allowed."))
            template = templates_lib.save_as_template(actor=actor, decision=decision, name=name)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "decisions/decision_templates/save.html", context, status=400)
        messages.success(request, _("Saved as the template “%(name)s”.") % {"name": template.name})
        return redirect(decision.get_absolute_url())
    return render(request, "decisions/decision_templates/save.html", context)
