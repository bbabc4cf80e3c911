"""Helpers the services share: the reason a step needs, a version snapshot, a stored PDF."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from decisions.content import DraftContent
from decisions.models import (
    Decision,
    DecisionVersion,
    User,
)


def require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason."), code="reason_required")
    if len(reason) > 2000:
        raise ValidationError(_("The reason is too long (at most 2000 characters)."))
    return reason


@contextmanager
def stored_pdf(decision: Decision, field_name: str, filename: str, data: bytes) -> Iterator[None]:
    """Write a PDF to storage and set it on `decision`; delete the file again if the block
    fails (the transaction then rolls back and no row points to it)."""
    field = getattr(decision, field_name)
    stored = field.storage.save(
        field.field.generate_filename(decision, filename), ContentFile(data)
    )
    setattr(decision, field_name, stored)
    try:
        yield
    except BaseException:
        field.storage.delete(stored)
        raise


def snapshot_version(decision: Decision, actor: User) -> None:
    DecisionVersion.objects.update_or_create(
        decision=decision,
        round=decision.revision,
        defaults={"content": DraftContent.of(decision).snapshot(), "saved_by": actor},
    )
