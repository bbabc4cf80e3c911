"""python manage.py load_demo: demo bodies, people in every role, test keys, and decisions at
every step of the flow (seed 000 issued and delivered, seed 001 a draft).

It lives in the workflow app because staging the decisions drives the flow."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions.demo import DEMO_PASSWORD, load_demo
from decisions.signing import pki, provision
from workflow.demo import stage_demo


class Command(BaseCommand):
    help = "Load the demonstration data (safe to run again) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load even though DEBUG is off (demo accounts share one known password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                _(
                    "Demo accounts share a known password: refusing while DEBUG is off "
                    "(use --allow-production to insist)."
                )
            )
        people = load_demo()
        provision.equip_dev_signers()
        stage_demo()
        self.stdout.write(
            _("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        administrator = _("Administrator")  # (xgettext does not read inside f-strings)
        self.stdout.write(f"  {'admin':<20} {administrator}")
        for person in people:
            roles = ", ".join(str(role.label) for role in person.roles)
            self.stdout.write(
                f"  {person.username:<20} {person.full_name} — {roles} ({person.organization})"
            )
        self.stdout.write(
            _("Leaders sign and clerks seal with test keys; their PIN is %(pin)s.")
            % {"pin": pki.DEV_PIN}
        )
