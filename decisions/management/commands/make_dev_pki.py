"""python manage.py make_dev_pki: a local test PKI and keys for every leader and issuing body."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions.models import SigningKey
from decisions.signing import pki, provision


class Command(BaseCommand):
    help = (
        "Create the development CA, CRL and timestamping key (once), a test signing key for "
        "every leader and a test seal key for every issuing body that has none; or revoke one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--revoke",
            metavar="HOLDER",
            help="revoke the active key of this username or organisation code",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even though DEBUG is off (test keys are never trusted in production)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(_("Test keys are for development: refusing while DEBUG is off."))
        pki.ensure_authority()
        if holder := options["revoke"]:
            key = (
                SigningKey.objects.filter(active=True, is_test=True, user__username=holder).first()
                or SigningKey.objects.filter(
                    active=True, is_test=True, organization__code=holder
                ).first()
            )
            if key is None:
                raise CommandError(_("No active test key for “%(holder)s”.") % {"holder": holder})
            pki.revoke(int(key.serial, 16))
            self.stdout.write(_("Revoked: %(subject)s") % {"subject": key.subject})
            return
        pki.write_crl()  # keep the published CRL fresh
        for key in provision.equip_dev_signers():
            self.stdout.write(_("New test key: %(subject)s") % {"subject": key.subject})
        self.stdout.write(
            _("Test keys are in %(directory)s; their password (PIN) is %(pin)s.")
            % {"directory": pki.directory(), "pin": pki.DEV_PIN}
        )
