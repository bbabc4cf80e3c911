"""The append-only, hash-chained history of a decision (who, when, what, why).

Each entry stores the hash of the decision's previous entry and the SHA-256 of its own content
joined to it, so that changing or deleting any entry breaks the chain from there on. The chain
is per decision: recording locks only that decision's row, never a global one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from decisions.models import Decision, DecisionEvent, User

Kind = DecisionEvent.Kind
GENESIS = "0" * 64


def record(
    decision: Decision,
    kind: DecisionEvent.Kind,
    *,
    actor: User | None,
    note: str = "",
    **data: Any,
) -> DecisionEvent:
    """Append one entry to `decision`'s history, inside the caller's transaction.

    Locks the decision row (the chain's tail must not fork); services hold it already.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events.record() needs an enclosing transaction")
    Decision.objects.select_for_update().filter(pk=decision.pk).values_list("pk").get()
    last = (
        DecisionEvent.objects.filter(decision_id=decision.pk)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = DecisionEvent(
        decision_id=decision.pk,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        note=note,
        data=data,
        sequence=sequence,
        previous_hash=previous,
    )
    event.hash = content_hash(event)
    event.save(force_insert=True)
    return event


def content_hash(event: DecisionEvent) -> str:
    """SHA-256 over the previous hash and this entry's content, in a canonical form."""
    content = {
        "decision": event.decision_id,
        "sequence": event.sequence,
        "kind": str(event.kind),
        "actor": event.actor_id,
        "at": event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "note": event.note,
        "data": event.data,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{event.previous_hash}:{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    decision_id: int
    sequence: int
    event_id: int | None
    problem: str


def verify_chain(decision_id: int) -> BrokenLink | None:
    """The first entry of `decision_id`'s history whose link or content does not hold."""
    previous, expected_sequence = GENESIS, 1
    for event in DecisionEvent.objects.filter(decision_id=decision_id).order_by("sequence"):
        if event.sequence != expected_sequence:
            return BrokenLink(decision_id, expected_sequence, None, "missing")
        if event.previous_hash != previous:
            return BrokenLink(decision_id, event.sequence, event.pk, "link")
        if content_hash(event) != event.hash:
            return BrokenLink(decision_id, event.sequence, event.pk, "content")
        previous, expected_sequence = event.hash, expected_sequence + 1
    return None
