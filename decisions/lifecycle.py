"""Who may do what to a decision, in which state: the one table (NĐ 30/2020/NĐ-CP, Điều 10–18).

Each `Transition` row names an action, the states it starts from, who may take it (a predicate
of `decisions.permissions`, or nobody for what the system does), an extra condition on the
decision's data, the state it leads to, the event it records, and what the page shows (label,
confirmation, whether it is destructive). An action may have several rows: who may return a
draft depends on where it is. `STEPS` says, for each state that waits for somebody, whose move
it is (the inbox) and the deadline policy of that step in working days.

Everything else reads these tables:
- the services open every transition with `begin` (lock, who, state, condition) and record
  the row's event;
- the actions a person sees on a decision's page come from `available`;
- the inbox of what waits for whom is `awaiting_filter`;
- the viewflow graph (`workflow/flows.py`) is checked against `STEPS` by a test.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisions import calendar, permissions
from decisions.models import Decision, DecisionEvent, StepDeadline, StepRecord, User

Status = Decision.Status
Kind = DecisionEvent.Kind
Who = Callable[[permissions.AnyUser, Decision], bool]


NOT_ALLOWED = gettext_lazy("You may not do this.")


@dataclass(frozen=True)
class Transition:
    """One row: `action` from one of `sources`, by whoever `who` allows, to `target`."""

    action: str
    sources: frozenset[str]
    who: Who | None  # None: the system, never a person (distribution at issuance)
    target: str | None  # None: the state stays, or the service decides (submit)
    event: str | None
    label: Promise | str = ""
    confirm: Promise | str = ""
    danger: bool = False
    refused: Promise | str = NOT_ALLOWED
    # A condition on the decision's data beyond its state, and what to say when it fails.
    condition: Callable[[Decision], bool] | None = None
    condition_failed: Promise | str = ""
    # The page shows a form for it at /decisions/<id>/<slug>/ (workflow/views.py, STEP_VIEWS);
    # `confirm_when`: ask for confirmation only when this checkbox of the form is ticked.
    form: bool = False
    confirm_when: str = ""
    # The page's action bar: `primary` is the everyday step that moves the decision forward
    # (its main button); a `danger` row sits apart, with its `consequence` spelled out.
    primary: bool = False
    consequence: Promise | str = ""

    @property
    def slug(self) -> str:
        """The action in its URL: "return_" -> "return", "hand_over" -> "hand-over"."""
        return self.action.rstrip("_").replace("_", "-")


@dataclass(frozen=True)
class Step:
    """A state that waits for somebody: whose move it is, and in how many working days."""

    status: str
    holder: str  # "drafter", "signer", or a permission codename held on the issuer
    due_working_days: int
    flow_node: str  # the viewflow node of DecisionFlow that represents this step


def _receives(user: permissions.AnyUser, decision: Decision) -> bool:
    return any(
        permissions.can_acknowledge(user, delivery)
        for delivery in permissions.deliveries_for(user).filter(decision=decision)
    )


def _drafts_for_issuer(user: permissions.AnyUser, decision: Decision) -> bool:
    return permissions.can_create_draft(user, decision.issuer)


BEFORE_SIGNATURE = frozenset(
    {Status.DRAFT, Status.UNIT_CHECK, Status.PROPOSAL, Status.REVIEW, Status.SIGNATURE}
)
DELIVERED = gettext_lazy(
    "This decision has already been sent to its receivers: recall it, or issue a decision that "
    "corrects, amends or replaces it."
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "edit",
        frozenset({Status.DRAFT}),
        permissions.can_submit,  # the drafter, while it is his draft
        None,
        Kind.UPDATED,
        gettext_lazy("Edit the draft"),
        refused=gettext_lazy("Only the drafter may edit this draft."),
    ),
    Transition(
        "edit",
        frozenset({Status.PROPOSAL}),
        permissions.can_propose,
        None,
        Kind.UPDATED,
        gettext_lazy("Edit the draft"),
        refused=gettext_lazy("Only the drafter may edit this draft."),
    ),
    Transition(
        "submit",
        frozenset({Status.DRAFT}),
        permissions.can_submit,
        None,  # to the unit head or to the office, as the body is set up
        Kind.SUBMITTED,
        gettext_lazy("Submit"),
        refused=gettext_lazy("Only the drafter may submit it."),
        form=True,
        primary=True,
    ),
    Transition(
        "check",
        frozenset({Status.UNIT_CHECK}),
        permissions.can_check,
        Status.PROPOSAL,
        Kind.CHECKED,
        gettext_lazy("Agree and pass to the office"),
        refused=gettext_lazy("You may not check this draft."),
        form=True,
        primary=True,
    ),
    Transition(
        "propose",
        frozenset({Status.PROPOSAL}),
        permissions.can_propose,
        Status.REVIEW,
        Kind.PROPOSED,
        gettext_lazy("Initial and propose for signature"),
        refused=gettext_lazy("You may not propose this decision."),
        form=True,
        primary=True,
    ),
    Transition(
        "review",
        frozenset({Status.REVIEW}),
        permissions.can_review,
        Status.SIGNATURE,
        Kind.APPROVED,
        gettext_lazy("Approve"),
        gettext_lazy(
            "Approve and sign this decision now? It then goes to the records clerk for issuing."
        ),
        refused=gettext_lazy("You may not approve this decision."),
        form=True,
        primary=True,
        confirm_when="review-sign_now",
    ),
    Transition(
        "sign",
        frozenset({Status.SIGNATURE}),
        permissions.can_review,
        Status.SIGNED,
        Kind.SIGNED,
        gettext_lazy("Sign"),
        gettext_lazy("Sign this decision? It then goes to the records clerk for issuing."),
        refused=gettext_lazy("You may not sign this decision."),
        form=True,
        primary=True,
    ),
    Transition(
        "issue",
        frozenset({Status.SIGNED}),
        permissions.can_issue,
        Status.ISSUED,
        Kind.ISSUED,
        gettext_lazy("Give the number and issue"),
        gettext_lazy("Issue this decision? It takes the next number and can no longer be changed."),
        refused=gettext_lazy("You may not issue this decision."),
        form=True,
        primary=True,
    ),
    Transition(
        "hand_over",
        frozenset({Status.REVIEW}),
        permissions.can_review,
        None,
        Kind.HANDED_OVER,
        gettext_lazy("Hand over"),
        refused=gettext_lazy("You may not hand this draft over."),
        form=True,
    ),
    Transition(
        "return_",
        frozenset({Status.UNIT_CHECK}),
        permissions.can_check,
        Status.DRAFT,
        Kind.RETURNED,
        gettext_lazy("Return for revision"),
        danger=True,
        consequence=gettext_lazy(
            "The draft goes back to its drafter with your reason; it comes back in a new round."
        ),
        refused=gettext_lazy("You may not return this decision."),
        form=True,
    ),
    Transition(
        "return_",
        frozenset({Status.PROPOSAL}),
        permissions.can_propose,
        Status.DRAFT,
        Kind.RETURNED,
        gettext_lazy("Return for revision"),
        danger=True,
        consequence=gettext_lazy(
            "The draft goes back to its drafter with your reason; it comes back in a new round."
        ),
        refused=gettext_lazy("You may not return this decision."),
        form=True,
    ),
    Transition(
        "return_",
        frozenset({Status.REVIEW, Status.SIGNATURE}),
        permissions.can_review,
        Status.DRAFT,
        Kind.RETURNED,
        gettext_lazy("Return for revision"),
        danger=True,
        consequence=gettext_lazy(
            "The draft goes back to its drafter with your reason; it comes back in a new round."
        ),
        refused=gettext_lazy("You may not return this decision."),
        form=True,
    ),
    Transition(
        "withdraw",
        BEFORE_SIGNATURE,
        permissions.can_withdraw,
        Status.WITHDRAWN,
        Kind.WITHDRAWN,
        gettext_lazy("Withdraw the draft"),
        danger=True,
        consequence=gettext_lazy(
            "The draft is withdrawn for good: nobody can act on it any more; it keeps no number."
        ),
        refused=gettext_lazy("Only the drafter may withdraw it."),
        form=True,
    ),
    Transition(
        "distribute",
        frozenset({Status.ISSUED}),
        None,
        None,
        Kind.DISTRIBUTED,
    ),
    Transition(
        "acknowledge",
        frozenset({Status.ISSUED}),
        _receives,
        None,
        Kind.ACKNOWLEDGED,
        gettext_lazy("Acknowledge receipt"),
        refused=gettext_lazy("This decision was not sent to you."),
        primary=True,
    ),
    Transition(
        "publish",
        frozenset({Status.ISSUED, Status.RECALLED}),
        permissions.can_issue,
        None,
        Kind.PUBLISHED,
        refused=gettext_lazy("You may not publish this decision."),
    ),
    Transition(
        "resend",
        frozenset({Status.ISSUED}),
        permissions.can_issue,
        None,
        Kind.RESENT,
        refused=gettext_lazy("You may not resend it."),
    ),
    Transition(
        "follow_up",
        frozenset({Status.ISSUED}),
        _drafts_for_issuer,
        None,
        None,
    ),
    Transition(
        "recall",
        frozenset({Status.ISSUED}),
        permissions.can_issue,
        Status.RECALLED,
        Kind.RECALLED,
        gettext_lazy("Recall"),
        gettext_lazy("Recall this decision? Its receivers are told."),
        danger=True,
        consequence=gettext_lazy(
            "Its receivers are told at once that it is recalled, with your reason; its number "
            "stays used in the register and the public page says it is recalled."
        ),
        refused=gettext_lazy("You may not recall this decision."),
        form=True,
    ),
    Transition(
        "void",
        frozenset({Status.ISSUED}),
        permissions.can_issue,
        Status.VOIDED,
        Kind.VOIDED,
        gettext_lazy("Void (spoiled before distribution)"),
        gettext_lazy("Void this decision? Its number stays void in the register."),
        danger=True,
        consequence=gettext_lazy(
            "Only while it has not been sent to anybody (a spoiled original): its number is "
            "voided in the register and is not given again; nobody is told."
        ),
        refused=gettext_lazy("You may not void this decision."),
        condition=permissions.can_void,
        condition_failed=DELIVERED,
        form=True,
    ),
)

# The states that wait for a person, whose move each is, and its deadline policy.
STEPS: dict[str, Step] = {
    step.status: step
    for step in (
        Step(Status.DRAFT, "drafter", 2, "revise"),  # a returned draft (round 2 and after)
        Step(Status.UNIT_CHECK, "check_decisions", 1, "unit_check"),
        Step(Status.PROPOSAL, "propose_decisions", 2, "proposal"),
        Step(Status.REVIEW, "signer", 2, "review"),
        Step(Status.SIGNATURE, "signer", 1, "signature"),
        Step(Status.SIGNED, "issue_decisions", 1, "issuance"),
    )
}

ACTIONS = tuple(dict.fromkeys(row.action for row in TRANSITIONS))
# The events that move a decision from one state to another (for the story of a stale action).
STATE_EVENTS = frozenset(
    row.event
    for row in TRANSITIONS
    if row.event and (row.target is not None or row.action == "submit")
)


def rows(action: str) -> tuple[Transition, ...]:
    found = tuple(row for row in TRANSITIONS if row.action == action)
    if not found:
        raise KeyError(action)
    return found


def row_for(action: str, decision: Decision) -> Transition | None:
    """The row of `action` that starts from the decision's current state, if any."""
    return next((row for row in rows(action) if decision.status in row.sources), None)


def may(user: permissions.AnyUser, action: str, decision: Decision) -> bool:
    """May `user` take `action` on `decision` now (its state, his role, its condition)?"""
    row = row_for(action, decision)
    return (
        row is not None
        and row.who is not None
        and row.who(user, decision)
        and (row.condition is None or row.condition(decision))
    )


def begin(action: str, *, decision: Decision, actor: User | None) -> Decision:
    """Open a transition inside the caller's transaction: lock the decision, then check who
    (403, `NotAllowed`), its state (400, saying what happened meanwhile) and its condition.
    Returns the locked decision. `actor` None: the system itself (only for rows of nobody)."""
    locked = (
        Decision.objects.select_related("issuer", "document_type")
        .select_for_update(of=("self",))
        .get(pk=decision.pk)
    )
    check(action, decision=locked, actor=actor)
    return locked


def check(action: str, *, decision: Decision, actor: User | None) -> Transition:
    """The checks of `begin`, on a decision already read (the flow driver asks before it
    looks for the task, so that a stale tab hears the true reason).

    Where a row starts from the current state, whoever it does not allow gets 403. Where none
    does, a person some row allows tried a step that is past: 400, with what happened
    meanwhile (signed at … by …); anybody else gets 403."""
    row = row_for(action, decision)
    if actor is not None:
        candidates = (row,) if row is not None else rows(action)
        if not any(r.who is not None and r.who(actor, decision) for r in candidates):
            raise permissions.NotAllowed(str(candidates[0].refused))
    elif row is not None and row.who is not None:
        raise permissions.NotAllowed(str(row.refused))
    if row is None:
        raise ValidationError(stale_reason(decision), code="wrong_state")
    if row.condition is not None and not row.condition(decision):
        raise ValidationError(str(row.condition_failed), code="condition")
    return row


def move(decision: Decision, action: str, *, actor: User | None, to: str | None = None) -> None:
    """Set the state `action` leads to from the decision's current state (`to` where the row
    leaves it to the service), and keep the time of its steps: the step it leaves ends now,
    the step it enters (if it waits for somebody) starts now with its due time."""
    row = row_for(action, decision)
    target = to if row is not None and row.target is None else (row.target if row else None)
    if target is None:
        raise ValueError(f"{action} does not move a {decision.status} decision")
    decision.status = target
    now = timezone.now()
    for ending in StepRecord.objects.filter(decision=decision, finished_at__isnull=True):
        ending.finished_at, ending.finished_by = now, actor
        ending.seconds = max(0, int((now - ending.started_at).total_seconds()))
        ending.save(update_fields=["finished_at", "finished_by", "seconds"])
    step = STEPS.get(target)
    if step is not None:
        holder = {"drafter": decision.drafter_id, "signer": decision.signer_id}.get(step.holder)
        StepRecord.objects.create(
            decision=decision,
            organization_id=decision.issuer_id,
            status=target,
            holder_id=holder,
            started_at=now,
            due_at=due_at(decision, target, now),
        )


# How urgency shortens a step (NĐ 30, Điều 15: urgent documents are handled first): a flash
# document within hours, a very urgent one within a working day, an urgent one in half the time.
FLASH_HOURS = 4


def due_days(decision: Decision, status: str) -> int:
    """Working days for `status`: the body's own deadline, or the table's, by urgency."""
    own = (
        StepDeadline.objects.filter(organization_id=decision.issuer_id, status=status)
        .values_list("working_days", flat=True)
        .first()
    )
    days = own or STEPS[status].due_working_days
    if decision.urgency == Decision.Urgency.FLASH:
        return 0
    if decision.urgency == Decision.Urgency.VERY_URGENT:
        return min(days, 1)
    if decision.urgency == Decision.Urgency.URGENT:
        return max(1, (days + 1) // 2)
    return days


def due_at(decision: Decision, status: str, start: datetime.datetime) -> datetime.datetime:
    days = due_days(decision, status)
    if days == 0:
        return start + datetime.timedelta(hours=FLASH_HOURS)
    return calendar.add_working_days(start, days)


def stale_reason(decision: Decision) -> str:
    """Why an action no longer applies: the decision's state, since when and by whose step
    ("already signed at 10:15 29/11/2026 by Võ Tùng")."""
    last = (
        decision.events.filter(kind__in=STATE_EVENTS)
        .select_related("actor")
        .order_by("-sequence")
        .first()
    )
    status = decision.get_status_display()
    if last is None:
        return _("This cannot be done while the decision is “%(status)s”.") % {"status": status}
    return _(
        "This can no longer be done: the decision is “%(status)s” since %(when)s "
        "(%(step)s — %(who)s)."
    ) % {
        "status": status,
        "when": formats.date_format(timezone.localtime(last.at), "H:i d/m/Y"),
        "step": last.get_kind_display(),
        "who": last.actor or _("the system"),
    }


@dataclass(frozen=True)
class Actions:
    """What a person may do to a decision now: one flag per action of the table (templates
    read flags, never rules), and `open`, the rows to show, in the table's order."""

    edit: bool = False
    submit: bool = False
    check: bool = False
    propose: bool = False
    review: bool = False
    sign: bool = False
    issue: bool = False
    hand_over: bool = False
    return_: bool = False
    withdraw: bool = False
    distribute: bool = False
    acknowledge: bool = False
    publish: bool = False
    resend: bool = False
    follow_up: bool = False
    recall: bool = False
    void: bool = False
    see_deliveries: bool = False
    open: tuple[Transition, ...] = field(default=())

    @property
    def any(self) -> bool:
        return bool(self.open)


def available(user: permissions.AnyUser, decision: Decision) -> Actions:
    """The actions open to `user` on `decision` in its current state."""
    open_rows = tuple(
        row
        for action in ACTIONS
        if (row := row_for(action, decision)) is not None and may(user, action, decision)
    )
    flags = {row.action: True for row in open_rows}
    return Actions(
        **flags,
        see_deliveries=decision.is_frozen and permissions.is_insider(user, decision),
        open=open_rows,
    )


def awaiting_filter(user: permissions.AnyUser) -> Q:
    """The decisions whose current step is `user`'s move (a returned draft is his drafter's)."""
    where = Q(pk__in=[])
    for step in STEPS.values():
        if step.holder == "drafter":
            where |= Q(status=step.status, drafter=user, revision__gt=1)
        elif step.holder == "signer":
            where |= Q(status=step.status, signer=user)
        else:
            bodies = permissions.organization_ids_where(user, f"decisions.{step.holder}")
            where |= Q(status=step.status, issuer_id__in=bodies)
    return where
