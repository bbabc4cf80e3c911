"""Checking every decision's history against itself, its sealed head, the decision's own state,
its register number, its file, its publication and its deliveries (`manage.py verify_history`).

Each finding is a `Problem` with a code from `PROBLEMS`, which names the tamper it reveals. The
daily anchors (decisions/anchors.py) add what no database check can see: entries or whole
decisions deleted with their heads, and histories rolled back to an earlier, valid state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from decisions import events, history_keys, numbering
from decisions.models import Decision, DecisionEvent, Delivery, HistoryHead, Register

Kind = DecisionEvent.Kind

PROBLEMS = {
    "gap": gettext_noop("an entry in the middle of the history was deleted"),
    "link": gettext_noop("an entry does not point to the one before it"),
    "rewritten": gettext_noop("an entry was changed after it was written"),
    "unknown_key": gettext_noop("an entry is keyed with a history key this server does not have"),
    "truncated": gettext_noop("the last entries of the history were deleted"),
    "history_deleted": gettext_noop("the whole history of the decision was deleted"),
    "head_missing": gettext_noop("the sealed end of the history was deleted"),
    "head_forged": gettext_noop("the sealed end of the history was changed"),
    "rolled_back": gettext_noop("the history was rolled back to an earlier state"),
    "status_without_entry": gettext_noop(
        "the decision's state was changed without an entry in its history"
    ),
    "number_without_entry": gettext_noop(
        "the decision's number or register was changed without an entry in its history"
    ),
    "file_changed": gettext_noop("the issued file's fingerprint differs from the one recorded"),
    "publication_without_entry": gettext_noop(
        "the decision was published or unpublished without an entry in its history"
    ),
    "delivery_without_entry": gettext_noop("a delivery was added without an entry in its history"),
    "delivery_deleted": gettext_noop("a recorded delivery was deleted"),
    "opening_without_entry": gettext_noop(
        "a delivery was marked opened without an entry in its history"
    ),
    "acknowledgement_without_entry": gettext_noop(
        "a receipt was marked acknowledged without an entry in its history"
    ),
    "decision_deleted": gettext_noop("the decision was deleted with its history"),
    "register_gap": gettext_noop("a number given by the register is carried by no decision"),
    # The anchors (decisions/anchors.py).
    "anchor_changed": gettext_noop("an anchor file was changed"),
    "anchor_chain": gettext_noop("an anchor does not follow the one before it"),
    "anchor_timestamp": gettext_noop("an anchor's timestamp does not match it or is not valid"),
    "anchor_untimestamped": gettext_noop("an anchor has no timestamp (no TSA was configured)"),
    "anchor_missing": gettext_noop("a past day with history entries has no anchor"),
    "entry_deleted": gettext_noop("an anchored entry was deleted"),
    "entry_changed": gettext_noop("an anchored entry differs from the one anchored"),
    "entry_backdated": gettext_noop("an entry dated on an anchored day is not in its anchor"),
}
# Findings that do not by themselves show a tamper (a missing TSA, a day not yet anchored).
NOTICES = frozenset({"anchor_untimestamped", "anchor_missing"})


@dataclass(frozen=True)
class Problem:
    code: str
    decision_id: int | None = None
    sequence: int | None = None
    detail: str = ""

    @property
    def serious(self) -> bool:
        return self.code not in NOTICES


# Decisions are checked in slices of this many, a few queries per slice (a million decisions).
SLICE = 2000


def check_all(decision_ids: Iterable[int] | None = None) -> Iterator[Problem]:
    """Every problem of the given decisions (default: all, and then the installation-wide ones)."""
    everything = decision_ids is None
    ids = list(
        Decision.objects.order_by("pk").values_list("pk", flat=True)
        if decision_ids is None
        else decision_ids
    )
    for start in range(0, len(ids), SLICE):
        yield from _check_slice(ids[start : start + SLICE])
    if everything:
        yield from _deleted_decisions()
        yield from _register_gaps()


def _check_slice(ids: list[int]) -> Iterator[Problem]:
    decisions = {
        row["pk"]: row
        for row in Decision.objects.filter(pk__in=ids).values(
            "pk", "status", "number", "register_id", "pdf_sha256", "is_public"
        )
    }
    heads = {head.decision_id: head for head in HistoryHead.objects.filter(decision_id__in=ids)}
    chains: dict[int, list[DecisionEvent]] = defaultdict(list)
    for event in DecisionEvent.objects.filter(decision_id__in=ids).order_by(
        "decision_id", "sequence"
    ):
        chains[event.decision_id].append(event)
    deliveries: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, decision_id, status in Delivery.objects.filter(decision_id__in=ids).values_list(
        "pk", "decision_id", "status"
    ):
        deliveries[decision_id].append((pk, status))
    for decision_id in ids:
        if decision_id not in decisions:
            continue
        chain = chains.get(decision_id, [])
        yield from _check_chain(decision_id, chain)
        yield from _check_head(decision_id, chain, heads.get(decision_id))
        if chain:
            yield from _check_state(decisions[decision_id], chain, deliveries[decision_id])


def _check_chain(decision_id: int, chain: list[DecisionEvent]) -> Iterator[Problem]:
    previous, expected = events.GENESIS, 1
    for event in chain:
        if event.sequence != expected:
            yield Problem("gap", decision_id, expected, f"{expected}–{event.sequence - 1}")
        if event.previous_hash != previous:
            yield Problem("link", decision_id, event.sequence)
        if history_keys.key(event.key_version) is None:
            yield Problem("unknown_key", decision_id, event.sequence, str(event.key_version))
        elif events.content_hash(event) != event.hash:
            yield Problem("rewritten", decision_id, event.sequence)
        previous, expected = event.hash, event.sequence + 1


def _check_head(
    decision_id: int, chain: list[DecisionEvent], head: HistoryHead | None
) -> Iterator[Problem]:
    if head is None:
        if chain:
            yield Problem("head_missing", decision_id)
        return
    if history_keys.key(head.key_version) is None:
        yield Problem("unknown_key", decision_id, None, str(head.key_version))
        return
    if events.head_seal(decision_id, head.length, head.hash, head.key_version) != head.seal:
        yield Problem("head_forged", decision_id)
        return
    if not chain:
        yield Problem("history_deleted", decision_id, None, str(head.length))
        return
    last = chain[-1]
    if last.sequence < head.length:
        yield Problem("truncated", decision_id, last.sequence + 1, f"{last.sequence}/{head.length}")
    elif last.sequence > head.length:
        yield Problem("rolled_back", decision_id, head.length, f"{head.length}/{last.sequence}")
    elif last.hash != head.hash:
        yield Problem("rewritten", decision_id, last.sequence)


def _check_state(
    decision: Mapping[str, Any], chain: list[DecisionEvent], deliveries: list[tuple[int, str]]
) -> Iterator[Problem]:
    decision_id = decision["pk"]
    last_state = next((event.status for event in reversed(chain) if event.status), "")
    if last_state and last_state != decision["status"]:
        yield Problem(
            "status_without_entry", decision_id, None, f"{last_state} → {decision['status']}"
        )
    by_kind: dict[str, list[DecisionEvent]] = defaultdict(list)
    for event in chain:
        by_kind[event.kind].append(event)
    numbered = by_kind[Kind.NUMBERED][-1].data if by_kind[Kind.NUMBERED] else None
    recorded = (numbered["register"], numbered["number"]) if numbered else (None, None)
    if (decision["number"] is not None or numbered) and recorded != (
        decision["register_id"],
        decision["number"],
    ):
        yield Problem("number_without_entry", decision_id)
    issued = by_kind[Kind.ISSUED][-1].data if by_kind[Kind.ISSUED] else None
    if (issued or {}).get("sha256", "") != (decision["pdf_sha256"] or "") and (
        issued or decision["pdf_sha256"]
    ):
        yield Problem("file_changed", decision_id)
    published = by_kind[Kind.PUBLISHED][-1].data.get("public") if by_kind[Kind.PUBLISHED] else False
    if bool(published) != decision["is_public"]:
        yield Problem("publication_without_entry", decision_id)
    yield from _check_deliveries(decision_id, by_kind, deliveries)


def _check_deliveries(
    decision_id: int, by_kind: dict[str, list[DecisionEvent]], deliveries: list[tuple[int, str]]
) -> Iterator[Problem]:
    distributed = by_kind[Kind.DISTRIBUTED]
    if all("deliveries" in event.data for event in distributed):  # entries before #15 lack it
        listed = {pk for event in distributed for pk in event.data["deliveries"]}
        present = {pk for pk, _status in deliveries}
        for pk in sorted(present - listed):
            yield Problem("delivery_without_entry", decision_id, None, str(pk))
        for pk in sorted(listed - present):
            yield Problem("delivery_deleted", decision_id, None, str(pk))
        opened = {pk for pk, status in deliveries if status == Delivery.Status.OPENED}
        recorded = {pk for event in by_kind[Kind.OPENED] for pk in event.data["deliveries"]}
        for pk in sorted(opened - recorded):
            yield Problem("opening_without_entry", decision_id, None, str(pk))
    acknowledged = {pk for pk, status in deliveries if status == Delivery.Status.ACKNOWLEDGED}
    entries = by_kind[Kind.ACKNOWLEDGED]
    if all("delivery" in event.data for event in entries):
        for pk in sorted(acknowledged - {event.data["delivery"] for event in entries}):
            yield Problem("acknowledgement_without_entry", decision_id, None, str(pk))
    elif len(acknowledged) > len(entries):
        yield Problem("acknowledgement_without_entry", decision_id)


def _deleted_decisions() -> Iterator[Problem]:
    """Heads left by decisions deleted behind the application's back."""
    existing = Decision.objects.values("pk")
    for decision_id in (
        HistoryHead.objects.exclude(decision_id__in=existing)
        .order_by("decision_id")
        .values_list("decision_id", flat=True)
    ):
        yield Problem("decision_deleted", decision_id)


def _register_gaps() -> Iterator[Problem]:
    for register in Register.objects.order_by("pk"):
        gaps = numbering.find_gaps(register)
        if gaps:
            yield Problem("register_gap", None, None, f"{register}: {', '.join(map(str, gaps))}")
