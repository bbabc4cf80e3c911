"""The append-only, hash-chained history of a decision (who, when, what, why).

Each entry stores the hash of the decision's previous entry and the SHA-256 of its own content
joined to it, so that changing or deleting any entry breaks the chain from there on. The chain
is per decision: recording locks only that decision's row, never a global one.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from decisions import history_keys
from decisions.models import Decision, DecisionEvent, HistoryHead, User

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
    # The state the entry keeps is the locked row's (the services save it before recording): a
    # caller's copy loaded before another request moved the decision would be stale.
    status = (
        Decision.objects.select_for_update()
        .filter(pk=decision.pk)
        .values_list("status", flat=True)
        .get()
    )
    last = (
        DecisionEvent.objects.filter(decision_id=decision.pk)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    version, _key = history_keys.current()
    event = DecisionEvent(
        decision_id=decision.pk,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        note=note,
        data=data,
        sequence=sequence,
        previous_hash=previous,
        key_version=version,
        status=status,
    )
    event.hash = content_hash(event)
    event.save(force_insert=True)
    seal_head(decision.pk, sequence, event.hash)
    return event


def seal_head(decision_id: int, length: int, last_hash: str) -> None:
    """Seal the history's end (the caller holds the decision's lock): one UPDATE, or the INSERT
    of its first entry."""
    version, _key = history_keys.current()
    sealed = {
        "length": length,
        "hash": last_hash,
        "key_version": version,
        "seal": head_seal(decision_id, length, last_hash, version),
    }
    if not HistoryHead.objects.filter(decision_id=decision_id).update(**sealed):
        HistoryHead.objects.create(decision_id=decision_id, **sealed)


def _mac(version: int, message: str) -> str:
    key = history_keys.key(version)
    if key is None:
        raise history_keys.MissingKeyError(f"No history key of version {version}.")
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def head_seal(decision_id: int, length: int, last_hash: str, version: int) -> str:
    return _mac(version, f"head:{decision_id}:{length}:{last_hash}")


def canonical(event: DecisionEvent) -> str:
    """The entry's content (who, when, what, the state after it) as canonical JSON."""
    content = {
        "decision": event.decision_id,
        "sequence": event.sequence,
        "kind": str(event.kind),
        "actor": event.actor_id,
        "at": event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "note": event.note,
        "data": event.data,
        "status": event.status,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(event: DecisionEvent) -> str:
    """HMAC-SHA256, with the key of the entry's version, over the previous hash and this
    entry's content in a canonical form."""
    return _mac(event.key_version, f"{event.previous_hash}:{canonical(event)}")
