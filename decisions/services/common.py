"""Helpers the services share: the reason a step needs, a version snapshot, a stored PDF."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from decisions import files
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
def stored_pdf(
    decision: models.Model, field_name: str, filename: str, data: bytes
) -> Iterator[None]:
    """Set a PDF on `decision`: written under `pending/` now, under its final name only once
    the transaction commits (decisions/files.py). The pending file goes at once if the block
    fails, and with the nightly sweep if the transaction rolls back later or the process dies."""
    field = getattr(decision, field_name)
    pending = files.save_on_commit(decision, field_name, filename, data)
    try:
        yield
    except BaseException:
        field.storage.delete(pending)
        raise


def snapshot_version(decision: Decision, actor: User) -> None:
    DecisionVersion.objects.update_or_create(
        decision=decision,
        round=decision.revision,
        defaults={"content": DraftContent.of(decision).snapshot(), "saved_by": actor},
    )
