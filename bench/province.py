"""A province's data for the benchmarks, grown in steps (1k, 10k, 100k, 1M decisions).

Shaped like real use over ten years: ~100 issuing bodies (the demo's UBND huyện Giồng Riềng,
with its staff, holds a tenth of everything; 99 others share the rest), a directory of 300
receiving bodies with a receiving user each; 95 % of decisions issued (numbered per body and
year, signed by the chair, a snapshot of what was printed; the rest drafts left or withdrawn,
and ten of the home body's in flight), each issued one delivered to three bodies
(Phòng Nội vụ Giồng Riềng receives a third of its huyện's), and four finished steps with their
times for each of Giồng Riềng's. Rows are written with bulk inserts; nothing is rendered or
signed (issuance itself is measured by `issue`).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

HOME = "giong-rieng"
HOME_SHARE = 10  # one decision in ten is the home body's
BODIES = 99
DIRECTORY = 300
YEARS = 10
BATCH = 5_000


@dataclass
class Province:
    """What exists so far, so that the next step only adds."""

    decisions: int = 0
    issuers: list[int] = field(default_factory=list)
    directory: list[int] = field(default_factory=list)
    numbers: dict[tuple[int, int], int] = field(default_factory=dict)
    registers: dict[tuple[int, int], int] = field(default_factory=dict)


@contextmanager
def _dated_rows() -> Iterator[None]:
    """Let bulk inserts carry their own creation times (ten years back)."""
    from decisions.models import Decision

    created = Decision._meta.get_field("created_at")
    updated = Decision._meta.get_field("updated_at")
    saved = created.auto_now_add, updated.auto_now
    created.auto_now_add, updated.auto_now = False, False
    try:
        yield
    finally:
        created.auto_now_add, updated.auto_now = saved


def start() -> Province:
    """The demo (staged through the flow), 99 more issuing bodies and the directory (run
    once, before `grow`)."""
    from django.core.management import call_command

    from decisions.models import Decision, Organization, User
    from decisions.text import fold

    # The demo as `scripts/dev` loads it: people, keys, decisions at every step.
    call_command("load_demo", "--allow-production", verbosity=0, stdout=io.StringIO())
    home = Organization.objects.get(code=HOME)
    others = Organization.objects.bulk_create(
        Organization(
            code=f"xa-thu-{n}",
            name=f"ỦY BAN NHÂN DÂN\nXÃ THỬ {n}",
            abbreviation="UBND",
            level=Organization.Level.COMMUNE,
            place_name=f"Thử {n}",
            is_issuer=True,
            search_name=fold(f"UBND xã Thử {n}"),
        )
        for n in range(BODIES)
    )
    directory = Organization.objects.bulk_create(
        Organization(
            code=f"so-thu-{n}",
            name=f"SỞ THỬ {n}",
            abbreviation="S",
            level=Organization.Level.AGENCY,
            is_issuer=False,
            search_name=fold(f"Sở Thử {n}"),
        )
        for n in range(DIRECTORY)
    )
    users = User.objects.bulk_create(
        User(
            username=f"nhan.thu{n}",
            email=f"nhan.thu{n}@example.invalid",
            organization=body,
            full_name=f"Người nhận {n}",
        )
        for n, body in enumerate(directory)
    )
    let_receive(users)
    province = Province(
        decisions=Decision.objects.count(),
        issuers=[home.pk, *(body.pk for body in others)],
        directory=[body.pk for body in directory],
    )
    return province


def let_receive(users: list[Any]) -> None:
    """Each user receives for his own body (the recipient role's permission, in bulk)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from decisions.models import Organization

    receive = Permission.objects.get(codename="receive_decisions")
    org_type = ContentType.objects.get_for_model(Organization)
    UserObjectPermission.objects.bulk_create(
        UserObjectPermission(
            user=user,
            permission=receive,
            content_type=org_type,
            object_pk=str(user.organization_id),
        )
        for user in users
    )


def grow(province: Province, total: int) -> None:
    """Add decisions (and their deliveries and steps) until there are `total`."""
    from django.db import transaction
    from django.utils import timezone

    from decisions.models import (
        Decision,
        Delivery,
        DocumentType,
        Organization,
        Register,
        StepRecord,
        User,
    )
    from decisions.text import fold

    home = Organization.objects.get(code=HOME)
    chair = User.objects.get(username="ct.giongrieng")
    drafter = User.objects.get(username="cv.giongrieng")
    office = User.objects.get(username="cvp.giongrieng")
    clerk = User.objects.get(username="vt.giongrieng")
    noi_vu = Organization.objects.get(code="phong-noi-vu-giong-rieng")
    kind = DocumentType.objects.get(abbreviation="QĐ", kind="decision")
    now = timezone.now()
    span = datetime.timedelta(days=365 * YEARS)
    others = [pk for pk in province.issuers if pk != home.pk]
    missing = total - province.decisions
    if missing <= 0:
        return
    steps = (("proposal", office), ("review", chair), ("signature", chair), ("signed", clerk))
    # What never reached issuance over the years: drafts left and withdrawn ones; a few
    # recent ones are still in flight (below).
    statuses = [Decision.Status.DRAFT, Decision.Status.WITHDRAWN]
    with _dated_rows():
        for first in range(0, missing, BATCH):
            rows: list[Decision] = []
            with transaction.atomic():
                for offset in range(first, min(first + BATCH, missing)):
                    n = province.decisions + offset
                    at_home = n % HOME_SHARE == 0
                    issuer = home.pk if at_home else others[n % len(others)]
                    # Spread over ten years, each step of growth as well (old and new alike).
                    created = now - span + span * ((offset + 0.5) / missing)
                    issued = n % 20 != 0
                    row = Decision(
                        issuer_id=issuer,
                        document_type=kind,
                        authority=Decision.Authority.INDIVIDUAL,
                        authority_line="CHỦ TỊCH ỦY BAN NHÂN DÂN",
                        subject=f"Về việc giao chỉ tiêu thử nghiệm số {n}",
                        articles=[{"text": "Quyết định này có hiệu lực kể từ ngày ký."}],
                        drafter=drafter,
                        signer=chair,
                        created_at=created,
                        updated_at=created,
                        status=Decision.Status.ISSUED if issued else statuses[n % 2],
                    )
                    if issued:
                        year = timezone.localtime(created).year
                        key = (issuer, year)
                        if key not in province.registers:
                            register, _ = Register.objects.get_or_create(
                                issuer_id=issuer, series="QĐ", year=year, confidential=False
                            )
                            province.registers[key] = register.pk
                            province.numbers[key] = register.last_number
                        province.numbers[key] += 1
                        number = province.numbers[key]
                        row.register_id = province.registers[key]
                        row.number = number
                        row.reference = f"{number:02d}/QĐ-UBND"
                        row.issued_on = timezone.localdate(created)
                        row.issued_at = created
                        row.snapshot = {
                            "recipients": ["Như Điều 3", "CT, các PCT UBND", "Lưu: VT"],
                            "signature_lines": ["CHỦ TỊCH"],
                            "signer_name": "Nguyễn Văn Thử",
                        }
                        row.verification_token = f"bench{n:010d}"
                        row.search_text = fold(
                            f"{row.reference} {row.issued_on:%d/%m/%Y} Quyết định {row.subject}"
                        )
                    rows.append(row)
                Decision.objects.bulk_create(rows)
                deliveries = []
                step_rows = []
                for row in rows:
                    if row.status != Decision.Status.ISSUED:
                        continue
                    n = int(row.verification_token.removeprefix("bench"))  # type: ignore[union-attr]
                    targets = [province.directory[(n * 7 + k * 101) % DIRECTORY] for k in range(3)]
                    if row.issuer_id == home.pk and n % 3 == 0:
                        targets[0] = noi_vu.pk
                    deliveries += [
                        Delivery(
                            decision=row,
                            organization_id=target,
                            sent_at=row.created_at,
                            status=Delivery.Status.ACKNOWLEDGED if n % 4 else Delivery.Status.SENT,
                            acknowledged_at=row.issued_at if n % 4 else None,
                        )
                        for target in dict.fromkeys(targets)
                    ]
                    if row.issuer_id == home.pk:
                        began = row.created_at
                        for index, (status, person) in enumerate(steps):
                            hours = 2 + (n * 7 + index * 13) % 60
                            ended = began + datetime.timedelta(hours=hours)
                            step_rows.append(
                                StepRecord(
                                    decision=row,
                                    organization_id=row.issuer_id,
                                    status=status,
                                    started_at=began,
                                    due_at=began + datetime.timedelta(hours=48),
                                    finished_at=ended,
                                    finished_by=person,
                                    seconds=hours * 3600,
                                )
                            )
                            began = ended
                Delivery.objects.bulk_create(deliveries, batch_size=BATCH)
                StepRecord.objects.bulk_create(step_rows, batch_size=BATCH)
    # In flight now, as in any office: a handful with the office and the leader.
    waiting = Decision.objects.filter(
        issuer=home, status__in=[Decision.Status.DRAFT, Decision.Status.WITHDRAWN]
    ).order_by("-created_at")
    for status, count in ((Decision.Status.PROPOSAL, 4), (Decision.Status.REVIEW, 6)):
        ids = list(waiting.values_list("pk", flat=True)[:count])
        Decision.objects.filter(pk__in=ids).update(status=status)
    for (issuer, year), register_pk in province.registers.items():
        Register.objects.filter(pk=register_pk).update(last_number=province.numbers[(issuer, year)])
    province.decisions = total


def sizes() -> Iterator[tuple[str, int, int]]:
    """The largest tables: (name, rows, bytes with indexes) on PostgreSQL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' "
            "ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8"
        )
        yield from cursor.fetchall()
