"""Who may do what to an incoming document, in which state: the one table (NĐ 30/2020/NĐ-CP,
Điều 22–24), the counterpart of decisions/lifecycle.py for what a body receives.

The receiving body's văn thư registers a document and forwards it to a leader for direction (or
assigns it at once); the leader writes the direction and names the handler (chủ trì) with a due
date in working days; the handler starts and finishes it (with the reply's number, if any).
A misaddressed document is refused; a leader or handler returns it to the văn thư.

The services (decisions/services/incoming.py) open every transition with `begin`; the detail
page shows the rows `available` to the person; the lists read `to_direct_filter` and
`to_handle_filter`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import calendar, permissions
from decisions.models import IncomingDocument, IncomingEvent, IncomingRegister, Organization, User

Status = IncomingDocument.Status
Kind = IncomingEvent.Kind
Who = Callable[[permissions.AnyUser, IncomingDocument], bool]

NEW = ""  # the state of a document not registered yet (the "register" row starts from it)


@dataclass(frozen=True)
class Transition:
    """One row: `action` from one of `sources`, by whoever `who` allows, to `target`."""

    action: str
    sources: frozenset[str]
    who: Who
    target: str
    event: str
    label: Promise | str = ""
    refused: Promise | str = ""
    confirm: Promise | str = ""
    danger: bool = False
    primary: bool = False
    consequence: Promise | str = ""
    form: bool = True

    @property
    def slug(self) -> str:
        return self.action.rstrip("_").replace("_", "-")


def _clerk_or_leader(user: permissions.AnyUser, document: IncomingDocument) -> bool:
    return permissions.can_register_incoming(user, document) or permissions.can_direct_incoming(
        user, document
    )


def _directing_leader(user: permissions.AnyUser, document: IncomingDocument) -> bool:
    """The leader it was forwarded to (another leader of the body does not take it over)."""
    return permissions.can_direct_incoming(user, document) and document.leader_id in (
        None,
        user.pk,
    )


def _returner(user: permissions.AnyUser, document: IncomingDocument) -> bool:
    if document.status == Status.AWAITING_DIRECTION:
        return _directing_leader(user, document)
    return permissions.is_incoming_handler(user, document)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "register",
        frozenset({NEW}),
        permissions.can_register_incoming,
        Status.REGISTERED,
        Kind.REGISTERED,
        gettext_lazy("Register"),
        gettext_lazy("Only the body's records clerk registers incoming documents."),
    ),
    Transition(
        "forward",
        frozenset({Status.REGISTERED}),
        permissions.can_register_incoming,
        Status.AWAITING_DIRECTION,
        Kind.FORWARDED,
        gettext_lazy("Forward to a leader"),
        gettext_lazy("Only the body's records clerk forwards incoming documents."),
        primary=True,
    ),
    Transition(
        "direct",
        frozenset({Status.AWAITING_DIRECTION}),
        _directing_leader,
        Status.ASSIGNED,
        Kind.DIRECTED,
        gettext_lazy("Direct and assign"),
        gettext_lazy("Only a leader of the body directs incoming documents."),
        primary=True,
    ),
    Transition(
        "assign",
        frozenset({Status.REGISTERED, Status.AWAITING_DIRECTION, Status.ASSIGNED}),
        _clerk_or_leader,
        Status.ASSIGNED,
        Kind.ASSIGNED,
        gettext_lazy("Assign a handler"),
        gettext_lazy("Only the records clerk or a leader of the body assigns a handler."),
    ),
    Transition(
        "start",
        frozenset({Status.ASSIGNED}),
        permissions.is_incoming_handler,
        Status.IN_PROGRESS,
        Kind.STARTED,
        gettext_lazy("Start handling"),
        gettext_lazy("Only the person assigned handles this document."),
        primary=True,
        form=False,
    ),
    Transition(
        "done",
        frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
        permissions.is_incoming_handler,
        Status.DONE,
        Kind.DONE,
        gettext_lazy("Mark as done"),
        gettext_lazy("Only the person assigned handles this document."),
        primary=True,
    ),
    Transition(
        "return_",
        frozenset({Status.AWAITING_DIRECTION, Status.ASSIGNED, Status.IN_PROGRESS}),
        _returner,
        Status.REGISTERED,
        Kind.RETURNED,
        gettext_lazy("Return to the records clerk"),
        gettext_lazy("Only the leader asked to direct it or its handler returns it."),
        danger=True,
        consequence=gettext_lazy(
            "The document goes back to the records clerk with your reason, to be forwarded or "
            "assigned again."
        ),
    ),
    Transition(
        "refuse",
        frozenset({Status.REGISTERED, Status.AWAITING_DIRECTION}),
        _clerk_or_leader,
        Status.REFUSED,
        Kind.REFUSED,
        gettext_lazy("Refuse (misaddressed)"),
        gettext_lazy("Only the records clerk or a leader of the body refuses a document."),
        confirm=gettext_lazy("Refuse this document? Its sender is told."),
        danger=True,
        consequence=gettext_lazy(
            "Nobody handles it; its arrival number stays in the register with your reason, and "
            "a sender reached by the document exchange is told."
        ),
    ),
)

ACTIONS = tuple(dict.fromkeys(row.action for row in TRANSITIONS))
# The states in which somebody still has to act, and those in which the handler has to.
OPEN = frozenset(
    {Status.REGISTERED, Status.AWAITING_DIRECTION, Status.ASSIGNED, Status.IN_PROGRESS}
)
HANDLING = frozenset({Status.ASSIGNED, Status.IN_PROGRESS})


def row_for(action: str, document: IncomingDocument) -> Transition | None:
    return next(
        (row for row in TRANSITIONS if row.action == action and document.status in row.sources),
        None,
    )


def may(user: permissions.AnyUser, action: str, document: IncomingDocument) -> bool:
    row = row_for(action, document)
    return row is not None and row.who(user, document)


def may_register(user: permissions.AnyUser, organization: Organization) -> bool:
    """May `user` register documents received by `organization`?"""
    probe = IncomingDocument(register=IncomingRegister(organization=organization), status=NEW)
    return may(user, "register", probe)


def check(action: str, *, document: IncomingDocument, actor: User) -> Transition:
    """Who (403, `NotAllowed`), then the state (400, what it is now)."""
    row = row_for(action, document)
    candidates = (row,) if row is not None else [r for r in TRANSITIONS if r.action == action]
    if not any(r.who(actor, document) for r in candidates):
        raise permissions.NotAllowed(str(candidates[0].refused))
    if row is None:
        raise ValidationError(
            _("This can no longer be done: the document is “%(status)s”.")
            % {"status": document.get_status_display()},
            code="wrong_state",
        )
    return row


def begin(action: str, *, document: IncomingDocument, actor: User) -> IncomingDocument:
    """Inside the caller's transaction: lock the document, then `check`."""
    locked = (
        IncomingDocument.objects.select_related("register__organization")
        .select_for_update(of=("self",))
        .get(pk=document.pk)
    )
    check(action, document=locked, actor=actor)
    return locked


def available(user: permissions.AnyUser, document: IncomingDocument) -> tuple[Transition, ...]:
    """The rows open to `user` on `document` now, in the table's order."""
    return tuple(
        row
        for action in ACTIONS
        if (row := row_for(action, document)) is not None and row.who(user, document)
    )


# --- Deadlines ---------------------------------------------------------------------------------


def due_date(working_days: int, *, start: datetime.datetime | None = None) -> datetime.date:
    """The date `working_days` working days after `start` (weekends and holidays skipped)."""
    return calendar.add_working_days(start or timezone.now(), working_days).date()


def is_overdue(document: IncomingDocument, *, today: datetime.date | None = None) -> bool:
    """Still being handled after its due date."""
    today = today or timezone.localdate()
    return (
        document.status in HANDLING and document.due_date is not None and document.due_date < today
    )


def overdue_filter(today: datetime.date | None = None) -> Q:
    return Q(status__in=HANDLING, due_date__lt=today or timezone.localdate())


def to_direct_filter(user: permissions.AnyUser) -> Q:
    """Documents waiting for `user`'s direction: forwarded to him, in a body where he directs."""
    bodies = permissions.organization_ids_where(user, permissions.DIRECT_INCOMING)
    return Q(status=Status.AWAITING_DIRECTION, leader=user.pk, register__organization_id__in=bodies)


def to_handle_filter(user: permissions.AnyUser) -> Q:
    """Documents `user` handles and has not finished."""
    bodies = permissions.organization_ids_where(user, permissions.HANDLE_INCOMING)
    return Q(status__in=HANDLING, handler=user.pk, register__organization_id__in=bodies)
