"""Word files: a decision as .docx (the upload side is the importer's page, editor_views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from decisions import docx_export, selectors


def docx_filename(decision: object) -> str:
    """ "du-thao-12.docx", or the issued decision's PDF name with .docx."""
    return selectors.pdf_filename(decision).removesuffix(".pdf") + ".docx"  # type: ignore[arg-type]


@require_GET
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision in Word's format, from the same printed model as its PDF; 404 for those
    who may not see it."""
    decision = selectors.get_decision_for(request.user, pk)
    data = docx_export.to_docx(selectors.pdf_context(decision))
    response = HttpResponse(data, content_type=docx_export.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{docx_filename(decision)}"'
    response["Cache-Control"] = "private, no-store"
    return response
