"""Who may see and do what: the single source of truth.

Roles are granted per organisation with guardian object permissions on `Organization`:
`grant_role(user=…, organization=…, role=…)` assigns the role's permissions on that body to
that person. The role groups created by `manage.py setup_roles` document each role's
permission set in the admin; people are never members of them, so no permission ever holds
outside an organisation. Later issues add predicates here, never elsewhere.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, get_perms, remove_perm

from decisions.models import Decision, Organization, User

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


class Role(models.TextChoices):
    SPECIALIST = "specialist", _("Specialist")
    UNIT_HEAD = "unit_head", _("Head of the drafting unit")
    CHIEF_OF_OFFICE = "chief_of_office", _("Chief of the office")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    CHAIR = "chair", _("Chair")
    RECORDS_CLERK = "records_clerk", _("Records clerk")
    RECIPIENT = "recipient", _("Recipient")


# The first permission of each role is its marker: holding it means holding the role.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.SPECIALIST: (DRAFT,),
    Role.UNIT_HEAD: (CHECK, DRAFT),
    Role.CHIEF_OF_OFFICE: (PROPOSE, VIEW_ALL),
    Role.VICE_CHAIR: (SIGN_IN_OWN_SECTORS, REVIEW, VIEW_ALL),
    Role.CHAIR: (SIGN_ANY, REVIEW, VIEW_ALL),
    Role.RECORDS_CLERK: (ISSUE, VIEW_ALL),
    Role.RECIPIENT: (RECEIVE,),
}

EDITABLE_STATUSES = frozenset({Decision.Status.DRAFT})


class NotAllowed(PermissionDenied):
    """The user may see the decision but not do this to it (HTTP 403)."""


def _codename(permission: str) -> str:
    return permission.split(".", 1)[1]


def grant_role(*, user: User, organization: Organization, role: Role) -> None:
    """Give `user` the role in `organization` (idempotent)."""
    for permission in ROLE_PERMISSIONS[role]:
        assign_perm(permission, user, organization)
    _forget_cached_permissions(user)


def revoke_role(*, user: User, organization: Organization, role: Role) -> None:
    """Take the role away; permissions another held role still needs are kept."""
    kept = {
        permission
        for other in roles_of(user, organization) - {role}
        for permission in ROLE_PERMISSIONS[other]
    }
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


def organizations_where(user: AnyUser, permission: str) -> QuerySet[Organization]:
    """The organisations in which `user` holds `permission`."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return get_objects_for_user(user, permission, klass=Organization, accept_global_perms=False)


def users_with_role(organization: Organization, role: Role) -> QuerySet[User]:
    """The active people who hold `role` in `organization` (for pickers and notifications)."""
    codename = _codename(ROLE_PERMISSIONS[role][0])
    return User.objects.filter(
        is_active=True,
        userobjectpermission__permission__codename=codename,
        userobjectpermission__object_pk=str(organization.pk),
        userobjectpermission__content_type__app_label="decisions",
        userobjectpermission__content_type__model="organization",
    ).distinct()


def _forget_cached_permissions(user: User) -> None:
    for attribute in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attribute, None)


# --- Visibility ------------------------------------------------------------


def decisions_visible_to(user: AnyUser) -> QuerySet[Decision]:
    """Every decision `user` may see: his own drafts and all decisions of the bodies
    where he holds a role that oversees them (office, leaders, văn thư)."""
    decisions = Decision.objects.all()
    if not user.is_authenticated or not user.is_active:
        return decisions.none()
    if user.is_superuser:
        return decisions
    overseen = organizations_where(user, VIEW_ALL).values("pk")
    return decisions.filter(Q(drafter=user) | Q(issuer__in=overseen))


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
        and user.has_perm(DRAFT, issuer)
    )


def can_edit_draft(user: AnyUser, decision: Decision) -> bool:
    """May `user` change the content of `decision` now? Only its drafter, while a draft."""
    return (
        decision.status in EDITABLE_STATUSES
        and not decision.is_frozen
        and decision.drafter_id == user.pk
        and user.has_perm(DRAFT, decision.issuer)
    )
