"""The văn thư's edXML pages: download the package of an issued decision for its receivers in
other document systems, and upload a package received from one (QCVN 102:2016).

Who: the văn thư (records clerk). A decision the user may not see is a 404; one he may see but
whose body he is not văn thư of is a 403; the upload page needs the văn thư role in some body.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from decisions import permissions, selectors
from decisions.exchange import edxml
from decisions.exchange.receive import receive
from decisions.models import Decision, ReceivedPackage


def _issued_decision_for_clerk(request: HttpRequest, pk: int) -> Decision:
    decision = selectors.get_decision_for(request.user, pk)
    if not permissions.can_issue(request.user, decision):
        raise permissions.NotAllowed(_("Only the body's văn thư sends its documents."))
    return decision


def decision_packages(request: HttpRequest, pk: int) -> HttpResponse:
    """The receivers of an issued decision in other document systems, a package for each."""
    decision = _issued_decision_for_clerk(request, pk)
    issued = decision.status == Decision.Status.ISSUED and bool(decision.pdf)
    return render(
        request,
        "exchange/decision_packages.html",
        {
            "decision": decision,
            "issued": issued,
            "receivers": edxml.default_receivers(decision) if issued else [],
        },
    )


def download_package(request: HttpRequest, pk: int) -> HttpResponse:
    """The package (XML) for one receiver (?to=identifier code) or for all of them."""
    decision = _issued_decision_for_clerk(request, pk)
    receivers = edxml.default_receivers(decision)
    wanted = request.GET.get("to", "").strip()
    if wanted:
        receivers = [body for body in receivers if body.identifier == wanted]
        if not receivers:
            return HttpResponse(
                _("This body is not among the decision's receivers in other systems."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
    try:
        data = edxml.export(decision, receivers)
    except edxml.PackageError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    name = selectors.pdf_filename(decision).removesuffix(".pdf")
    suffix = f"-{wanted}" if wanted else ""
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{name}{suffix}.edxml.xml"'
    return response


def upload_package(request: HttpRequest) -> HttpResponse:
    """Receive a package file: shows the arrival numbers, or the reason it was refused (400)."""
    user = selectors.acting_user(request.user)
    registers = permissions.organization_ids_where(user, permissions.REGISTER_INCOMING)
    if not registers:
        raise permissions.NotAllowed(_("Only a văn thư receives edXML packages."))
    context: dict[str, object] = {"limit_mb": edxml.max_bytes() // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "exchange/upload.html", context)
    upload = request.FILES.get("package")
    if upload is None:
        context["error"] = _("Choose the package file (.xml) to receive.")
        return render(request, "exchange/upload.html", context, status=400)
    # The request's size is bounded before it is read (DECISIONS_REQUEST_MAX_BYTES, /exchange/).
    row = receive(upload.read(), via=ReceivedPackage.Via.UPLOAD, actor=user, bodies=registers)
    context["package"] = row
    if not row.accepted:
        context["error"] = row.reason
        return render(request, "exchange/upload.html", context, status=400)
    context["documents"] = row.documents.select_related("register__organization").order_by(
        "register__organization__identifier"
    )
    return render(request, "exchange/upload.html", context)
