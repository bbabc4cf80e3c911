"""Who may see and do what: the single source of truth.

Roles are granted per organisation with guardian object permissions on `Organization`:
`grant_role(user=…, organization=…, role=…)` assigns the role's permissions on that body to
that person. The role groups created by `manage.py setup_roles` document each role's
permission set in the admin; people are never members of them, so no permission ever holds
outside an organisation. Later issues add predicates here, never elsewhere.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from decisions import delegation as delegation_rules
from decisions.models import (
    Decision,
    Delivery,
    IncomingDocument,
    Organization,
    RoleEvent,
    User,
)

AnyUser = User | AnonymousUser

# Permission codenames (declared on Organization.Meta.permissions).
DRAFT = "decisions.draft_decisions"
CHECK = "decisions.check_decisions"
PROPOSE = "decisions.propose_decisions"
REVIEW = "decisions.review_decisions"
SIGN_ANY = "decisions.sign_any_decision"
SIGN_IN_OWN_SECTORS = "decisions.sign_in_own_sectors"
ISSUE = "decisions.issue_decisions"
VIEW_ALL = "decisions.view_all_decisions"
RECEIVE = "decisions.receive_decisions"
# Incoming documents (văn bản đến): the văn thư registers and forwards, leaders direct, the
# named handler handles, and everyone holding one of these roles in the body sees them.
REGISTER_INCOMING = "decisions.register_incoming"
DIRECT_INCOMING = "decisions.direct_incoming"
HANDLE_INCOMING = "decisions.handle_incoming"
SEE_INCOMING = "decisions.see_incoming"


class Role(models.TextChoices):
    SPECIALIST = "specialist", _("Specialist")
    UNIT_HEAD = "unit_head", _("Head of the drafting unit")
    CHIEF_OF_OFFICE = "chief_of_office", _("Chief of the office")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    CHAIR = "chair", _("Chair")
    RECORDS_CLERK = "records_clerk", _("Records clerk")
    RECIPIENT = "recipient", _("Recipient")
    INCOMING_CLERK = "incoming_clerk", _("Registers incoming documents")
    INCOMING_LEADER = "incoming_leader", _("Directs incoming documents")
    INCOMING_HANDLER = "incoming_handler", _("Handles incoming documents")


# The first permission of each role is its marker: holding it means holding the role.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.SPECIALIST: (DRAFT,),
    Role.UNIT_HEAD: (CHECK, DRAFT, VIEW_ALL),
    Role.CHIEF_OF_OFFICE: (PROPOSE, VIEW_ALL),
    Role.VICE_CHAIR: (SIGN_IN_OWN_SECTORS, REVIEW, VIEW_ALL),
    Role.CHAIR: (SIGN_ANY, REVIEW, VIEW_ALL),
    Role.RECORDS_CLERK: (ISSUE, VIEW_ALL),
    Role.RECIPIENT: (RECEIVE,),
    Role.INCOMING_CLERK: (REGISTER_INCOMING, SEE_INCOMING),
    Role.INCOMING_LEADER: (DIRECT_INCOMING, SEE_INCOMING),
    Role.INCOMING_HANDLER: (HANDLE_INCOMING, SEE_INCOMING),
}

ORG_IDS_CACHE = "_decisions_organization_ids"  # per user object, like Django's perm cache


class NotAllowed(PermissionDenied):
    """The user may see the decision but not do this to it (HTTP 403)."""


def _codename(permission: str) -> str:
    return permission.split(".", 1)[1]


@transaction.atomic
def grant_role(
    *, user: User, organization: Organization, role: Role, actor: User | None = None
) -> None:
    """Give `user` the role in `organization` (idempotent); a new grant is recorded with who
    gave it (`actor`; None: a script such as the demo)."""
    newly = role not in roles_of(user, organization)
    for permission in ROLE_PERMISSIONS[role]:
        assign_perm(permission, user, organization)
    _forget_cached_permissions(user)
    if newly:
        RoleEvent.objects.create(
            actor=actor, user=user, organization=organization, role=role.value, granted=True
        )


@transaction.atomic
def revoke_role(
    *, user: User, organization: Organization, role: Role, actor: User | None = None
) -> None:
    """Take the role away (recorded); permissions another held role still needs are kept."""
    held = roles_of(user, organization)
    if role in held:
        RoleEvent.objects.create(
            actor=actor, user=user, organization=organization, role=role.value, granted=False
        )
    kept = {permission for other in held - {role} for permission in ROLE_PERMISSIONS[other]}
    for permission in set(ROLE_PERMISSIONS[role]) - kept:
        remove_perm(permission, user, organization)
    _forget_cached_permissions(user)


def roles_of(user: AnyUser, organization: Organization) -> set[Role]:
    """The roles `user` holds in `organization`."""
    if not user.is_authenticated:
        return set()
    return set(_roles_from(set(get_perms(user, organization))))


def organizations_with_roles(user: AnyUser) -> list[tuple[Organization, list[Role]]]:
    """Each organisation where `user` holds a role, with those roles (two queries)."""
    if not user.is_authenticated:
        return []
    markers = [_codename(perms[0]) for perms in ROLE_PERMISSIONS.values()]
    held: dict[str, set[str]] = {}
    grants = UserObjectPermission.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(Organization),
        permission__codename__in=markers,
    ).values_list("object_pk", "permission__codename")
    for object_pk, codename in grants:
        held.setdefault(object_pk, set()).add(codename)
    organizations = Organization.objects.filter(pk__in=[int(pk) for pk in held])
    return [(org, _roles_from(held[str(org.pk)])) for org in organizations]


def _roles_from(codenames: set[str]) -> list[Role]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if _codename(perms[0]) in codenames]


def organization_ids_where(user: AnyUser, permission: str) -> list[int]:
    """The ids of the organisations in which `user` holds `permission` (one small query per
    user object for all his permissions).

    Roles are granted to people, never to groups (see the module docstring), so the user's
    own object permissions are the whole answer; the list keeps the queries that use it
    simple enough for the database to walk its indexes.
    """
    if not user.is_authenticated:
        return []
    cache: dict[str, list[int]] = user.__dict__.setdefault(ORG_IDS_CACHE, {})
    if not cache:  # every permission of the person at once: a page asks for several
        held: dict[str, list[int]] = {}
        rows = UserObjectPermission.objects.filter(
            user_id=user.pk, content_type=ContentType.objects.get_for_model(Organization)
        ).values_list("object_pk", "permission__codename")
        for object_pk, codename in rows:
            held.setdefault(codename, []).append(int(object_pk))
        cache.update({codename: sorted(pks) for codename, pks in held.items()})
        cache[""] = []  # loaded, even for a person with no role
    return cache.get(_codename(permission), [])


def users_with_role(organization: Organization, role: Role) -> QuerySet[User]:
    """The active people who hold `role` in `organization` (for pickers and notifications)."""
    return users_with_permission(ROLE_PERMISSIONS[role][0], organization)


def users_with_permission(permission: str, organization: Organization) -> QuerySet[User]:
    """The active people who hold `permission` on `organization`."""
    return users_with_permission_in(permission, [organization.pk])


def users_with_permission_in(permission: str, organization_ids: list[int]) -> QuerySet[User]:
    """The active people who hold `permission` on any of these organisations (one query)."""
    codename = _codename(permission)
    return User.objects.filter(
        is_active=True,
        userobjectpermission__permission__codename=codename,
        userobjectpermission__object_pk__in=[str(pk) for pk in organization_ids],
        userobjectpermission__content_type__app_label="decisions",
        userobjectpermission__content_type__model="organization",
    ).distinct()


def _forget_cached_permissions(user: User) -> None:
    for attribute in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", ORG_IDS_CACHE):
        user.__dict__.pop(attribute, None)


# --- Visibility ------------------------------------------------------------


def decisions_visible_to(user: AnyUser) -> QuerySet[Decision]:
    """Every decision `user` may see: his own drafts and all decisions of the bodies
    where he holds a role that oversees them (office, leaders, văn thư).

    The Django superuser is no exception: he administers accounts and bodies, and sees
    decisions only through the roles he was granted, like anyone else."""
    decisions = Decision.objects.all()
    if not user.is_authenticated or not user.is_active:
        return decisions.none()
    overseen = organization_ids_where(user, VIEW_ALL)
    return decisions.filter(
        Q(drafter=user)
        | Q(issuer_id__in=overseen)
        | Q(signer=user)  # the chosen signer: also a delegate from outside the body (TUQ.)
        | Q(pk__in=deliveries_for(user).values("decision"))
    )


def deliveries_for(user: AnyUser) -> QuerySet[Delivery]:
    """The deliveries `user` receives: to the bodies where he receives, and to him."""
    if not user.is_authenticated or not user.is_active:
        return Delivery.objects.none()
    bodies = organization_ids_where(user, RECEIVE)
    return Delivery.objects.filter(Q(organization_id__in=bodies) | Q(user_id=user.pk))


def can_acknowledge(user: AnyUser, delivery: Delivery) -> bool:
    """A user of the receiving body (or the person it was sent to) confirms receipt."""
    if delivery.status not in (Delivery.Status.SENT, Delivery.Status.OPENED):
        return False
    if delivery.user_id is not None:
        return delivery.user_id == user.pk
    return delivery.organization is not None and holds(user, RECEIVE, delivery.organization)


def is_insider(user: AnyUser, decision: Decision) -> bool:
    """Does `user` work on `decision` inside its issuer (the drafter, the office, leaders, văn
    thư)? Receivers are not: they see what was sent to them, not the issuer's internal
    history."""
    if not user.is_authenticated or not user.is_active:
        return False
    return decision.drafter_id == user.pk or holds(user, VIEW_ALL, decision.issuer)


def can_view(user: AnyUser, decision: Decision) -> bool:
    """May `user` see `decision` at all? (If not, the answer to him is 404.)"""
    return decisions_visible_to(user).filter(pk=decision.pk).exists()


# --- Actions -------------------------------------------------------------


def can_create_draft(user: AnyUser, issuer: Organization) -> bool:
    """May `user` start a draft for `issuer`?"""
    return (
        user.is_authenticated
        and user.is_active
        and issuer.is_issuer
        and issuer.active
        and holds(user, DRAFT, issuer)
    )


def holds(user: AnyUser, permission: str, organization: Organization) -> bool:
    """Does `user` hold `permission` on `organization`? (Cached per user object.)

    Only a role granted in that body counts: being a Django superuser (who administers the
    site) gives no workflow role, unlike Django's own `has_perm`."""
    if not user.is_authenticated or not user.is_active:
        return False
    return organization.pk in organization_ids_where(user, permission)


def can_submit(user: AnyUser, decision: Decision) -> bool:
    """The drafter submits his draft (trình)."""
    return decision.drafter_id == user.pk and holds(user, DRAFT, decision.issuer)


def can_withdraw(user: AnyUser, decision: Decision) -> bool:
    """The drafter may withdraw his draft before it is signed."""
    return decision.drafter_id == user.pk and holds(user, DRAFT, decision.issuer)


def can_check(user: AnyUser, decision: Decision) -> bool:
    """The head of the drafting unit checks the content (optional step)."""
    return holds(user, CHECK, decision.issuer)


def can_propose(user: AnyUser, decision: Decision) -> bool:
    """The Chánh Văn phòng checks, initials and proposes to a leader."""
    return holds(user, PROPOSE, decision.issuer)


def may_sign(user: AnyUser, decision: Decision, *, delegated: bool | None = None) -> bool:
    """Could `user` sign `decision` at all? The chair always; a vice chair within his
    fields, or outside them when the chair handed the draft to him; a holder of a delegation
    of the body (TL., TUQ., Q.), whose dates and scope the signing re-checks
    (decisions/delegation.py, `check_signer`, with the reason when it refuses)."""
    if may_sign_as_leader(user, decision, delegated=delegated):
        return True
    return delegation_rules.holds_any(user, decision.issuer)


def may_sign_as_leader(user: AnyUser, decision: Decision, *, delegated: bool | None = None) -> bool:
    """May `user` sign `decision` by his own role: the chair, or a vice chair in his fields
    (or any field when the chair handed it to him)."""
    if holds(user, SIGN_ANY, decision.issuer):
        return True
    if not holds(user, SIGN_IN_OWN_SECTORS, decision.issuer):
        return False
    if decision.signer_delegated if delegated is None else delegated:
        return True
    return (
        isinstance(user, User)
        and decision.sector_id is not None
        and user.sectors.filter(pk=decision.sector_id).exists()
    )


def can_review(user: AnyUser, decision: Decision) -> bool:
    """The chosen leader reviews (and signs) it."""
    return (
        decision.signer_id == user.pk
        and (
            holds(user, REVIEW, decision.issuer)
            or delegation_rules.holds_any(user, decision.issuer)
        )
        and may_sign(user, decision)
    )


def can_issue(user: AnyUser, decision: Decision) -> bool:
    """The văn thư numbers and issues (and may void a spoiled issued decision)."""
    return holds(user, ISSUE, decision.issuer)


def can_void(decision: Decision) -> bool:
    """A number is voided only while nothing was delivered (issuance undone, or a paper
    original spoiled before dispatch); once sent, NĐ 30's remedies are a recall or a decision
    that corrects, amends or replaces it."""
    return not decision.deliveries.exists()


def signer_candidates(decision: Decision) -> list[User]:
    """The leaders who may sign `decision`: the chair, and vice chairs in charge of its field;
    and whoever holds a delegation usable for it today (TL., TUQ., Q.)."""
    leaders = users_with_permission(SIGN_ANY, decision.issuer) | users_with_permission(
        SIGN_IN_OWN_SECTORS, decision.issuer
    )
    chosen = [
        user
        for user in leaders.distinct().order_by("full_name")
        if may_sign_as_leader(user, decision)
    ]
    delegates = User.objects.filter(
        is_active=True, pk__in=delegation_rules.current(decision.issuer).values("delegate")
    ).exclude(pk__in=[user.pk for user in chosen])
    chosen += [
        user for user in delegates.order_by("full_name") if delegation_rules.usable(user, decision)
    ]
    return chosen


# --- Incoming documents ----------------------------------------------------------------------


def incoming_visible_to(user: AnyUser) -> QuerySet[IncomingDocument]:
    """The incoming documents `user` may see: those of the bodies where he holds an incoming
    role, and those he directs or handles."""
    if not user.is_authenticated or not user.is_active:
        return IncomingDocument.objects.none()
    bodies = organization_ids_where(user, SEE_INCOMING)
    return IncomingDocument.objects.filter(
        Q(register__organization_id__in=bodies) | Q(leader=user.pk) | Q(handler=user.pk)
    )


def can_see_incoming(user: AnyUser, document: IncomingDocument) -> bool:
    """May `user` see `document` at all? (If not, the answer to him is 404.)"""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk in (document.leader_id, document.handler_id) or holds(
        user, SEE_INCOMING, document.register.organization
    )


def can_register_incoming(user: AnyUser, document: IncomingDocument) -> bool:
    """The receiving body's văn thư registers, forwards and assigns."""
    return holds(user, REGISTER_INCOMING, document.register.organization)


def can_direct_incoming(user: AnyUser, document: IncomingDocument) -> bool:
    """The receiving body's leaders direct (and assign)."""
    return holds(user, DIRECT_INCOMING, document.register.organization)


def is_incoming_handler(user: AnyUser, document: IncomingDocument) -> bool:
    """The person named to handle it (chủ trì)."""
    return (
        user.is_authenticated
        and document.handler_id == user.pk
        and holds(user, HANDLE_INCOMING, document.register.organization)
    )


def role_group_name(role: Role) -> str:
    return f"{role.label} ({role.value})"


@transaction.atomic
def setup_roles() -> list[Group]:
    """Create or update one group per role documenting its permission set, in role order
    (idempotent). People are never members: roles are granted per body (`grant_role`)."""
    groups = []
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name__endswith=f"({role.value})").first()
        if group is None:
            group = Group.objects.create(name=role_group_name(role))
        elif group.name != role_group_name(role):
            group.name = role_group_name(role)
            group.save(update_fields=["name"])
        codenames = [_codename(perm) for perm in perms]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="decisions", codename__in=codenames)
        )
        group.user_set.clear()
        groups.append(group)
    return groups
