"""python manage.py setup_roles: create one group per role with its permission set (idempotent).

The groups document each role in the admin. People are never members: a role is granted per
organisation with `permissions.grant_role`, which is the single source of truth.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from decisions import permissions


def role_group_name(role: permissions.Role) -> str:
    return f"{role.label} ({role.value})"


@transaction.atomic
def setup_roles() -> list[Group]:
    """Create or update the role groups; return them in role order."""
    groups = []
    for role, perms in permissions.ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name__endswith=f"({role.value})").first()
        if group is None:
            group = Group.objects.create(name=role_group_name(role))
        elif group.name != role_group_name(role):
            group.name = role_group_name(role)
            group.save(update_fields=["name"])
        codenames = [perm.split(".", 1)[1] for perm in perms]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="decisions", codename__in=codenames)
        )
        group.user_set.clear()
        groups.append(group)
    return groups


class Command(BaseCommand):
    help = "Create the role groups and their permissions (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        for group in setup_roles():
            self.stdout.write(
                _("Role “%(name)s”: %(count)d permissions")
                % {"name": group.name, "count": group.permissions.count()}
            )
