"""python manage.py setup_roles: create one group per role with its permission set (idempotent).

The groups document each role in the admin. People are never members: a role is granted per
organisation with `permissions.grant_role`, which is the single source of truth.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from decisions import permissions


class Command(BaseCommand):
    help = "Create the role groups and their permissions (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        for group in permissions.setup_roles():
            self.stdout.write(
                _("Role “%(name)s”: %(count)d permissions")
                % {"name": group.name, "count": group.permissions.count()}
            )
