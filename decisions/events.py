"""The append-only history of a decision (who, when, what, why)."""

from __future__ import annotations

from typing import Any

from decisions.models import Decision, DecisionEvent, User

Kind = DecisionEvent.Kind


def record(
    decision: Decision,
    kind: DecisionEvent.Kind,
    *,
    actor: User | None,
    note: str = "",
    **data: Any,
) -> DecisionEvent:
    """Append one entry to `decision`'s history. Call it inside the service's transaction."""
    return DecisionEvent.objects.create(
        decision=decision, kind=kind, actor=actor, note=note, data=data
    )
