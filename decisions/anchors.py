"""Daily anchors of the history: each finished day, the Merkle root of that day's entries of the
whole installation, chained to the previous day's anchor and timestamped by the RFC 3161
service, written to a file outside the database (DECISIONS_ANCHOR_DIR, kept by backups).

An anchor lists its leaves (entry id, decision, sequence, hash), so that checking it against
the database names what changed: an entry deleted (even with its decision and head), changed,
or added afterwards with an earlier date. The timestamp proves the anchor existed that day,
so a database rolled back or rewritten later cannot be made to agree with it.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models.functions import TruncDate
from django.utils import timezone

from decisions.history_check import Problem
from decisions.models import Decision, DecisionEvent
from decisions.signing import trust

FORMAT = 1
Leaf = tuple[int, int, int, str]  # entry id, decision id, sequence, hash


def folder() -> Path:
    return Path(settings.DECISIONS_ANCHOR_DIR)


def path_for(day: datetime.date) -> Path:
    return folder() / f"{day:%Y}" / f"{day.isoformat()}.json"


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The day's start and end in local time (Asia/Ho_Chi_Minh), as aware datetimes."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def leaves(day: datetime.date) -> list[Leaf]:
    start, end = day_bounds(day)
    return list(
        DecisionEvent.objects.filter(at__gte=start, at__lt=end)
        .order_by("pk")
        .values_list("pk", "decision_id", "sequence", "hash")
    )


def _leaf_hash(leaf: Leaf | list[Any]) -> bytes:
    pk, decision_id, sequence, entry_hash = leaf
    return hashlib.sha256(b"\x00" + f"{pk}:{decision_id}:{sequence}:{entry_hash}".encode()).digest()


def merkle_root(items: list[Leaf] | list[list[Any]]) -> str:
    """RFC 6962's tree hash: leaves prefixed 0x00, nodes 0x01, an odd node promoted."""
    level = [_leaf_hash(leaf) for leaf in items]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        level = paired + ([level[-1]] if len(level) % 2 else [])
    return level[0].hex()


def statement(anchor: dict[str, Any]) -> bytes:
    """What the timestamp covers: the day, its count, its root and the previous anchor's root."""
    previous = (anchor.get("previous") or {}).get("root", "")
    return f"{anchor['day']}:{anchor['count']}:{anchor['root']}:{previous}".encode()


def latest_before(day: datetime.date) -> tuple[datetime.date, dict[str, Any]] | None:
    found = sorted(
        (datetime.date.fromisoformat(path.stem), path)
        for path in folder().glob("*/*.json")
        if path.stem < day.isoformat()
    )
    if not found:
        return None
    last_day, path = found[-1]
    return last_day, json.loads(path.read_text(encoding="utf-8"))


def anchor_day(day: datetime.date, *, today: datetime.date | None = None) -> Path:
    """Write the anchor of `day` (a finished day) once; an existing anchor is kept as it is."""
    if day >= (today or timezone.localdate()):
        raise ValueError(f"{day} is not over yet")
    target = path_for(day)
    if target.exists():
        return target
    items = leaves(day)
    before = latest_before(day)
    anchor: dict[str, Any] = {
        "format": FORMAT,
        "day": day.isoformat(),
        "count": len(items),
        "root": merkle_root(items),
        "previous": {"day": before[0].isoformat(), "root": before[1]["root"]} if before else None,
        "made_at": timezone.now().isoformat(),
        "leaves": [list(leaf) for leaf in items],
    }
    anchor["timestamp"] = _timestamp(statement(anchor))
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(anchor, out, separators=(",", ":"))
    os.replace(temporary, target)
    return target


def anchor_due(today: datetime.date | None = None) -> list[Path]:
    """Anchor every finished day since the last anchor (or since the first entry)."""
    today = today or timezone.localdate()
    before = latest_before(today)
    if before is not None:
        day = before[0] + datetime.timedelta(days=1)
    else:
        first = DecisionEvent.objects.order_by("at").values_list("at", flat=True).first()
        if first is None:
            return []
        day = timezone.localdate(first)
    written = []
    while day < today:
        written.append(anchor_day(day, today=today))
        day += datetime.timedelta(days=1)
    return written


def _timestamp(message: bytes) -> dict[str, str] | None:
    timestamper = trust.timestamper()
    if timestamper is None:
        return None
    digest = hashlib.sha256(message).digest()
    token = asyncio.run(timestamper.async_timestamp(digest, "sha256"))
    return {"token": base64.b64encode(token.dump()).decode("ascii")}


def _timestamp_holds(message: bytes, token_b64: str) -> bool:
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

    try:
        token = cms.ContentInfo.load(base64.b64decode(token_b64))
        status = asyncio.run(
            validate_tst_signed_data(
                token["content"],
                trust.validation_context(),
                lambda algorithm: hashlib.new(algorithm, message).digest(),
            )
        )
    except Exception:  # any malformed or unverifiable token is a finding
        return False
    return bool(status.get("intact")) and bool(status.get("valid"))


def check() -> Iterator[Problem]:
    """Every anchor against itself, its timestamp, the one before it, and the database."""
    paths = sorted(folder().glob("*/*.json"))
    previous: dict[str, Any] | None = None
    anchored_days = set()
    for path in paths:
        anchor = json.loads(path.read_text(encoding="utf-8"))
        day = anchor["day"]
        anchored_days.add(day)
        if (
            merkle_root(anchor["leaves"]) != anchor["root"]
            or len(anchor["leaves"]) != anchor["count"]
        ):
            yield Problem("anchor_changed", None, None, day)
            previous = anchor
            continue
        expected_previous = (
            {"day": previous["day"], "root": previous["root"]} if previous is not None else None
        )
        if anchor.get("previous") != expected_previous:
            yield Problem("anchor_chain", None, None, day)
        if anchor.get("timestamp") is None:
            yield Problem("anchor_untimestamped", None, None, day)
        elif not _timestamp_holds(statement(anchor), anchor["timestamp"]["token"]):
            yield Problem("anchor_timestamp", None, None, day)
        yield from _against_database(anchor)
        previous = anchor
    yield from _days_without_anchor(anchored_days)


def _against_database(anchor: dict[str, Any]) -> Iterator[Problem]:
    day = datetime.date.fromisoformat(anchor["day"])
    anchored = {leaf[0]: leaf for leaf in anchor["leaves"]}
    start, end = day_bounds(day)
    present = {
        pk: (pk, decision_id, sequence, entry_hash)
        for pk, decision_id, sequence, entry_hash in DecisionEvent.objects.filter(
            pk__in=list(anchored)
        ).values_list("pk", "decision_id", "sequence", "hash")
    }
    missing = [leaf for pk, leaf in anchored.items() if pk not in present]
    alive = set(
        Decision.objects.filter(pk__in={leaf[1] for leaf in missing}).values_list("pk", flat=True)
    )
    gone: dict[int, int] = {}
    for leaf in missing:
        if leaf[1] in alive:
            yield Problem("entry_deleted", leaf[1], leaf[2], anchor["day"])
        else:
            gone[leaf[1]] = gone.get(leaf[1], 0) + 1
    for decision_id, count in gone.items():
        yield Problem("decision_deleted", decision_id, None, f"{anchor['day']}: {count}")
    for pk, leaf in anchored.items():
        if pk in present and tuple(leaf) != present[pk]:
            yield Problem("entry_changed", leaf[1], leaf[2], anchor["day"])
    for decision_id, sequence in (
        DecisionEvent.objects.filter(at__gte=start, at__lt=end)
        .exclude(pk__in=list(anchored))
        .values_list("decision_id", "sequence")
    ):
        yield Problem("entry_backdated", decision_id, sequence, anchor["day"])


def _days_without_anchor(anchored_days: set[str]) -> Iterator[Problem]:
    """Finished days before yesterday that have entries but no anchor (the job runs nightly)."""
    last = timezone.localdate() - datetime.timedelta(days=2)
    days = (
        DecisionEvent.objects.annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .filter(day__lte=last)
        .values_list("day", flat=True)
        .distinct()
        .order_by("day")
    )
    for day in days:
        if day.isoformat() not in anchored_days:
            yield Problem("anchor_missing", None, None, day.isoformat())
