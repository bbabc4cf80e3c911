"""Every non-trivial read: what a view, a template or the PDF depends on."""

from __future__ import annotations

import datetime
import heapq
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from decisions import delegation as delegation_rules
from decisions import doctypes, lifecycle, numbering, permissions, printed, signature
from decisions.content import Annex, Article
from decisions.models import (
    Decision,
    DecisionEvent,
    Delivery,
    Organization,
    Recipient,
    RecipientGroup,
    Register,
    StepRecord,
    User,
)
from decisions.printed import PrintedDecision
from decisions.signature import SignatureBlock
from decisions.text import fold

LIST_ROW = ("issuer", "document_type", "drafter")
HEAVY_FIELDS = ("legal_bases", "articles", "annexes", "snapshot", "proposer")


def decision_list_for(user: permissions.AnyUser) -> QuerySet[Decision]:
    """The decisions `user` may see, with what a list row prints, newest first."""
    return permissions.decisions_visible_to(user).select_related(*LIST_ROW).defer(*HEAVY_FIELDS)


class NewestFirst:
    """Rows of several querysets, newest first, for a Paginator, flat at any size.

    "A OR B" stops a database from walking an index in order: it gathers every match, then
    sorts. So each part is read on its own index, newest first and only as far as the page
    reaches, and the short heads are merged here; the count is one count per part (kept for
    the page: an empty part then costs no query). The parts must not overlap.
    """

    def __init__(
        self,
        parts: list[QuerySet[Any]],
        *,
        newest_by: str,
        load: Callable[[list[int]], dict[int, Any]],
        counts: list[int] | None = None,
    ) -> None:
        self.parts, self.newest_by, self.load = parts, newest_by, load
        self._counts: list[tuple[QuerySet[Any], int]] | None = (
            None if counts is None else list(zip(parts, counts, strict=True))
        )

    def _counted(self) -> list[tuple[QuerySet[Any], int]]:
        if self._counts is None:
            self._counts = [(part, part.count()) for part in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(count for _part, count in self._counted())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Any]:
        return iter(self[0 : self.count()])

    def __getitem__(self, window: slice) -> list[Any]:
        start, stop = window.start or 0, window.stop
        order = (f"-{self.newest_by}", "-pk")
        heads = [
            list(part.order_by(*order).values_list(self.newest_by, "pk")[:stop])
            for part, count in self._counted()
            if count
        ]
        newest = heapq.merge(*heads, reverse=True)
        ids = [pk for _when, pk in itertools.islice(newest, start, stop)]
        rows = self.load(ids)
        return [rows[pk] for pk in ids]


def newest_decisions(user: permissions.AnyUser) -> NewestFirst:
    """The decisions `user` may see, newest first: his bodies' decisions and his own drafts
    elsewhere (two index-ordered parts)."""
    parts: list[QuerySet[Any]] = []
    if user.is_authenticated and user.is_active:
        overseen = permissions.organization_ids_where(user, permissions.VIEW_ALL)
        parts = [
            Decision.objects.filter(issuer_id__in=overseen),
            Decision.objects.filter(drafter_id=user.pk).exclude(issuer_id__in=overseen),
        ]
    return NewestFirst(
        parts,
        newest_by="created_at",
        load=lambda ids: (
            Decision.objects.select_related(*LIST_ROW).defer(*HEAVY_FIELDS).in_bulk(ids)
        ),
    )


def get_decision_for(user: permissions.AnyUser, pk: int) -> Decision:
    """The decision `pk` if `user` may see it; Http404 otherwise (existence is not leaked)."""
    decision = (
        decision_list_for(user).select_related("signer", "sector", "register").filter(pk=pk).first()
    )
    if decision is None:
        raise Http404(_("No such decision."))
    return decision


def pdf_context(decision: Decision) -> PrintedDecision:
    """What the PDF of `decision` prints, in a fixed number of queries.

    An issued decision prints its frozen snapshot (issuer, signer, recipients as they were);
    a draft prints the live issuer and the chosen signer, with a blank number and date.
    """
    decision = (
        Decision.objects.select_related("issuer", "document_type", "signer", "register")
        .prefetch_related("recipients")
        .get(pk=decision.pk)
    )
    issuer = decision.issuer
    frozen = decision.snapshot or {}
    if "signature_lines" in frozen:
        block = SignatureBlock(tuple(frozen["signature_lines"]), frozen["signer_name"])
    elif (signed := signed_entry(decision)) is not None:  # TL., TUQ., Q. as signed
        block = SignatureBlock(tuple(signed["signature_lines"]), signed["signer_name"])
    else:
        block = signature_for(decision)
    doc = PrintedDecision(
        parent_name=frozen.get("parent_name", issuer.parent_name),
        issuer_lines=tuple(frozen.get("issuer_lines", issuer.name_lines)),
        issuer_name=frozen.get("issuer_name", issuer.one_line_name),
        symbol=numbering.symbol_with_year(decision.symbol, numbering.printed_number_year(decision)),
        number=decision.number,
        place=frozen.get("place", issuer.place_name),
        date=decision.issued_on,
        title=decision.document_type.printed_title,
        subject=decision.subject,
        authority_line=decision.authority_line,
        recitals=printed.recitals(decision.legal_bases, decision.proposer),
        articles=printed.articles([Article.from_dict(item) for item in decision.articles]),
        recipients=printed.recipient_lines(
            frozen.get("recipients", [r.text for r in decision.recipients.all()])
        ),
        signature=block,
        urgency=decision.urgency,
        confidentiality=decision.confidentiality,
        drafter_mark=printed.drafter_mark(decision.drafter_initials, decision.copies),
        annexes=printed.annexes([Annex(**item) for item in decision.annexes]),
        reference=decision.reference,
        verification_url=verification_url(decision),
        issuer_code=issuer.code,
    )
    return doctypes.of(decision.document_type).print(doc, decision.parts or {})


def signed_entry(decision: Decision) -> dict[str, Any] | None:
    """What the leader's signature recorded of its block (lines, name, delegation), for a
    decision signed and not yet issued: a delegation ended meanwhile changes nothing printed."""
    if decision.status not in (Decision.Status.SIGNED, Decision.Status.ISSUED):
        return None
    data = (
        DecisionEvent.objects.filter(decision=decision, kind=DecisionEvent.Kind.SIGNED)
        .order_by("-sequence")
        .values_list("data", flat=True)
        .first()
    )
    return data if isinstance(data, dict) and "signature_lines" in data else None


def verification_url(decision: Decision) -> str:
    """The short public address where anyone checks that the decision is genuine."""
    if not decision.verification_token:
        return ""
    return f"{settings.DECISIONS_BASE_URL.rstrip('/')}/v/{decision.verification_token}"


def signature_for(decision: Decision) -> SignatureBlock:
    """The block of the chosen signer; before one is chosen, the head's own form, unnamed."""
    signer = decision.signer
    if signer is None:
        is_head, title, name = True, "", ""
    else:
        is_head = permissions.holds(signer, permissions.SIGN_ANY, decision.issuer)
        title, name = signer.title, signer.get_full_name()
        # --- delegated and acting signatures (TL., TUQ., Q.): decisions/delegation.py ---
        delegation = delegation_rules.signing_delegation(signer, decision)
        if delegation is not None:
            lines = delegation_rules.signature_lines(
                delegation, authority=decision.authority, issuer=decision.issuer
            )
            return SignatureBlock(lines, name)
        # --- end of delegated signatures ---
    lines = signature.signature_lines(
        authority=decision.authority,
        issuer=decision.issuer,
        signer_is_head=is_head,
        signer_title=title,
    )
    return SignatureBlock(lines, name)


def pdf_filename(decision: Decision) -> str:
    """An ASCII file name: "93-qd-ubnd-2019.pdf" once issued, "du-thao-12.pdf" before."""
    if decision.reference and decision.issued_on:
        ascii_reference = decision.reference.replace("/", "-").replace("Đ", "D")
        return f"{slugify(ascii_reference)}-{decision.issued_on.year}.pdf"
    return f"du-thao-{decision.pk}.pdf"


def printed_snapshot(decision: Decision) -> dict[str, object]:
    """What issuance freezes: the issuer, place, authority line, signer and recipients as
    printed, so that the decision re-displays exactly as issued after people or bodies change."""
    doc = pdf_context(decision)
    return {
        "issuer_name": doc.issuer_name,
        "issuer_lines": list(doc.issuer_lines),
        "parent_name": doc.parent_name,
        "place": doc.place,
        "authority_line": doc.authority_line,
        "signature_lines": list(doc.signature.lines),
        "signer_name": doc.signature.name,
        "signer_title": decision.signer.title if decision.signer else "",
        "recipients": [recipient.text for recipient in decision.recipients.all()],
        # the delegation a signature used (TL., TUQ., Q.), as it stood when he signed
        **{
            key: value
            for key, value in (signed_entry(decision) or {}).items()
            if key == "delegation"
        },
    }


def decisions_awaiting(user: permissions.AnyUser) -> QuerySet[Decision]:
    """The decisions waiting for `user` to act, oldest change first (the inbox).

    One query: the step is in the decision's status, and the bodies where he holds each
    role come from his guardian grants.
    """
    if not user.is_authenticated or not user.is_active:
        return Decision.objects.none()
    waiting = lifecycle.awaiting_filter(user)
    returned = DecisionEvent.objects.filter(
        decision=OuterRef("pk"), kind=DecisionEvent.Kind.RETURNED
    ).order_by("-sequence")
    open_step = StepRecord.objects.filter(decision=OuterRef("pk"), finished_at__isnull=True)
    return (
        Decision.objects.filter(waiting)
        .select_related("issuer", "document_type", "drafter", "signer")
        .defer("legal_bases", "articles", "annexes", "snapshot", "proposer")
        .annotate(
            return_reason=Subquery(returned.values("note")[:1]),
            due_at=Subquery(open_step.values("due_at")[:1]),
        )
        .order_by(F("due_at").asc(nulls_last=True), "updated_at", "pk")
    )


def inbox(user: permissions.AnyUser, *, limit: int = 50) -> list[Decision]:
    """What waits for `user`, soonest due first, each marked "overdue" or "near"."""
    now = timezone.now()
    waiting = list(decisions_awaiting(user)[:limit])
    for decision in waiting:
        decision.due_state = due_state(decision.due_at, now)  # type: ignore[attr-defined]
    return waiting


def get_register_for(user: permissions.AnyUser, pk: int) -> Register:
    """A register, for the office, leaders and văn thư of its issuer (404 for anyone else)."""
    overseen = permissions.organization_ids_where(user, permissions.VIEW_ALL)
    registers = Register.objects.select_related("issuer")
    register = registers.filter(issuer_id__in=overseen, pk=pk).first()
    if register is None:
        raise Http404(_("No such register."))
    return register


def register_entries(register: Register) -> QuerySet[Decision]:
    """The register's rows, by number: every decision numbered in it, voided ones included."""
    return register.decisions.select_related("signer", "document_type").order_by("number")


def registers_visible_to(user: permissions.AnyUser) -> QuerySet[Register]:
    overseen = permissions.organization_ids_where(user, permissions.VIEW_ALL)
    return Register.objects.filter(issuer_id__in=overseen).select_related("issuer")


def history(decision: Decision) -> QuerySet[DecisionEvent]:
    """The history as shown on the decision's page (PDF views are kept, but not listed)."""
    return (
        decision.events.exclude(kind=DecisionEvent.Kind.PDF_VIEWED)
        .select_related("actor")
        .order_by("sequence")
    )


def deliveries_to(user: permissions.AnyUser, decision: Decision) -> list[Delivery]:
    """What was sent of `decision` to `user` (to his bodies or to him), for his own page."""
    return list(
        permissions.deliveries_for(user)
        .filter(decision=decision)
        .select_related("organization", "user", "acknowledged_by")
        .order_by("sent_at", "pk")
    )


def acting_user(user: permissions.AnyUser) -> User:
    """The logged-in person behind a request (login is required everywhere)."""
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user


def _received_parts(user: permissions.AnyUser) -> list[QuerySet[Delivery]]:
    """What `user` receives, in two parts that never overlap: to his bodies, and to him."""
    if not user.is_authenticated or not user.is_active:
        return []
    bodies = permissions.organization_ids_where(user, permissions.RECEIVE)
    return [
        Delivery.objects.filter(organization_id__in=bodies),
        Delivery.objects.filter(user_id=user.pk),
    ]


def _load_deliveries(ids: list[int]) -> dict[int, Delivery]:
    return Delivery.objects.select_related(
        "decision", "decision__issuer", "decision__document_type", "organization"
    ).in_bulk(ids)


def incoming_for(
    user: permissions.AnyUser, *, query: str = "", unread_only: bool = False
) -> NewestFirst:
    """A receiver's "Văn bản đến": his deliveries, newest first, searchable without case or
    diacritics ("quyet dinh" finds "Quyết định"), on SQLite and PostgreSQL alike."""
    parts = []
    for part in _received_parts(user):
        if unread_only:
            part = part.filter(status=Delivery.Status.SENT)
        for word in fold(query).split():
            part = part.filter(decision__search_text__contains=word)
        parts.append(part)
    return NewestFirst(parts, newest_by="sent_at", load=_load_deliveries)


def unread_count(user: permissions.AnyUser) -> int:
    """Deliveries not opened yet (a partial index keeps this cheap at any size)."""
    return sum(part.filter(status=Delivery.Status.SENT).count() for part in _received_parts(user))


TO_ACKNOWLEDGE = (Delivery.Status.SENT, Delivery.Status.OPENED)


@dataclass(frozen=True)
class Received:
    """What a receiver's home shows: the newest deliveries, unread first, and the counts of
    his "Văn bản đến" (the same deliveries, so the two pages agree)."""

    deliveries: list[Delivery]
    total: int
    unread: int
    to_acknowledge: int

    @property
    def any(self) -> bool:
        return self.total > 0


def received_by(user: permissions.AnyUser, *, limit: int = 10) -> Received:
    """The deliveries to `user` and his bodies for his home: the unread ones first, then the
    others, each newest first; with how many there are, are unread, and await "Đã nhận"
    (one count query per part, as "Văn bản đến" counts them)."""
    parts = _received_parts(user)
    counts = [
        part.aggregate(
            total=Count("pk"),
            unread=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            to_acknowledge=Count("pk", filter=Q(status__in=TO_ACKNOWLEDGE)),
        )
        for part in parts
    ]
    unread = NewestFirst(
        [part.filter(status=Delivery.Status.SENT) for part in parts],
        newest_by="sent_at",
        load=_load_deliveries,
        counts=[count["unread"] for count in counts],
    )
    read = NewestFirst(
        [part.exclude(status=Delivery.Status.SENT) for part in parts],
        newest_by="sent_at",
        load=_load_deliveries,
        counts=[count["total"] - count["unread"] for count in counts],
    )
    shown = unread[0:limit] if unread.count() else []
    if len(shown) < limit and read.count():
        shown += read[0 : limit - len(shown)]
    return Received(
        deliveries=shown,
        total=sum(count["total"] for count in counts),
        unread=unread.count(),
        to_acknowledge=sum(count["to_acknowledge"] for count in counts),
    )


def deliveries_of(decision: Decision) -> QuerySet[Delivery]:
    """The delivery table of one decision, for its issuer's staff and its drafter."""
    return decision.deliveries.select_related(
        "organization", "user", "acknowledged_by", "sent_package"
    ).order_by("organization__name", "user__full_name")


@dataclass(frozen=True)
class Return:
    """Why a draft came back: the reason, who sent it back and when."""

    reason: str
    by: str
    at: datetime.datetime


def open_return(decision: Decision) -> Return | None:
    """The return the drafter is working on: the last one, while the draft is back with him."""
    if decision.status != Decision.Status.DRAFT or decision.revision < 2:
        return None
    event = (
        decision.events.filter(kind=DecisionEvent.Kind.RETURNED)
        .select_related("actor")
        .order_by("sequence")
        .last()
    )
    if event is None:
        return None
    return Return(event.note, str(event.actor) if event.actor else "", event.at)


NEAR_DUE = datetime.timedelta(hours=24)


def due_state(due_at: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """ "overdue", "near" (due within a day) or "" for a step's due time."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    if due_at < now:
        return "overdue"
    return "near" if due_at - now <= NEAR_DUE else ""


def current_step(decision: Decision) -> StepRecord | None:
    """The step the decision waits in, with its due time (None when it waits for nobody)."""
    return (
        decision.steps.filter(finished_at__isnull=True).select_related("holder").first()
        if decision.status in lifecycle.STEPS
        else None
    )


def recall_reason(decision: Decision) -> str:
    """Why a recalled decision was recalled ("" otherwise)."""
    if decision.status != Decision.Status.RECALLED:
        return ""
    event = decision.events.filter(kind=DecisionEvent.Kind.RECALLED).order_by("sequence").last()
    return event.note if event else ""


def standing(decision: Decision) -> tuple[str, list[Decision]]:
    """Is an issued decision in force? Its status for the public, and the later issued
    decisions that amended, replaced or repealed it (linked both ways)."""
    later = list(decision.affected_by.filter(status=Decision.Status.ISSUED).order_by("issued_at"))
    if decision.status != Decision.Status.ISSUED:
        return decision.get_status_display(), later
    final = next((d for d in reversed(later) if d.effect != Decision.Effect.AMENDS), None)
    if final is not None:
        return str(Decision.Effect(final.effect).label), later
    if later:
        return str(_("In force, amended")), later
    return str(_("In force")), later


def directory_bodies() -> list[Organization]:
    """The bodies of the directory, by name."""
    return list(Organization.objects.filter(active=True).order_by("name"))


@dataclass(frozen=True)
class DirectoryEntry:
    """A body, a person or a recipient group, as the picker offers it: "o:12" and its label."""

    kind: str  # "o" body, "u" person, "g" group
    pk: int
    label: str

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.pk}"


GROUP_PREFIX = "Nhóm: "


def directory_search(query: str, *, limit: int = 20) -> list[DirectoryEntry]:
    """Bodies, people and groups whose names contain every word typed, without case or
    diacritics (three indexed queries, whatever the size of the directory)."""
    words = re.findall(r"\w+", fold(query))
    if not words or sum(len(word) for word in words) < 2:
        return []
    match = Q()
    for word in words[:6]:
        match &= Q(search_name__contains=word)
    groups = RecipientGroup.objects.filter(match, active=True).order_by("name")[:limit]
    bodies = Organization.objects.filter(match, active=True).order_by("code")[:limit]
    people = (
        User.objects.filter(match, is_active=True, organization__isnull=False)
        .select_related("organization")
        .order_by("full_name")[:limit]
    )
    return (
        [DirectoryEntry("g", g.pk, f"{GROUP_PREFIX}{g.name}") for g in groups]
        + [DirectoryEntry("o", b.pk, b.running_name) for b in bodies]
        + [
            DirectoryEntry("u", p.pk, f"{p} ({p.organization.running_name})")  # type: ignore[union-attr]
            for p in people
        ]
    )[:limit]


MAX_DIRECTORY_LABEL = 1000  # a body's name in running text, or a person's with his body


def directory_entry(label: str) -> DirectoryEntry | None:
    """The entry a picked (or typed) label names, if exactly one does (none for a label longer
    than any the directory gives, which is not searched at all)."""
    label = " ".join(label.split())
    if len(label) > MAX_DIRECTORY_LABEL:
        return None
    core = label.removeprefix(GROUP_PREFIX)
    if core.endswith(")") and " (" in core:  # a person: "Name (Body)"
        core = core[: core.rindex(" (")]
    found = [entry for entry in directory_search(core, limit=50) if entry.label == label]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class RecipientLine:
    """A Nơi nhận line with what it is linked to, for the decision's page."""

    recipient: Recipient
    links: list[DirectoryEntry]

    @property
    def unlinked(self) -> bool:
        return not self.recipient.is_archive and not self.links


def recipient_lines(decision: Decision) -> list[RecipientLine]:
    """Every Nơi nhận line with its links (four queries, whatever the directory's size)."""
    recipients = decision.recipients.prefetch_related(
        "groups", "organizations", Prefetch("users", User.objects.select_related("organization"))
    ).order_by("position")
    return [
        RecipientLine(
            recipient,
            [DirectoryEntry("g", g.pk, f"{GROUP_PREFIX}{g.name}") for g in recipient.groups.all()]
            + [DirectoryEntry("o", b.pk, b.running_name) for b in recipient.organizations.all()]
            + [
                DirectoryEntry("u", u.pk, f"{u} ({u.organization.running_name})")
                if u.organization
                else DirectoryEntry("u", u.pk, str(u))
                for u in recipient.users.all()
            ],
        )
        for recipient in recipients
    ]


def signing_key_for(user: Any, decision: Decision, actions: lifecycle.Actions) -> Any:
    """The key the user's next action would sign with: his own before signing, the body's seal
    before issuing; None when neither applies or none is registered."""
    from decisions.models import SigningKey

    if actions.sign or actions.review:
        return SigningKey.objects.filter(user=user, active=True).first()
    if actions.issue:
        return SigningKey.objects.filter(organization=decision.issuer_id, active=True).first()
    return None
