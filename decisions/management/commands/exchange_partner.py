"""python manage.py exchange_partner create|rotate NAME --url URL: a document-exchange partner
and the secret this installation shares with it (docs/exchange.md).

The first side runs `create` and gets a key id and a secret, printed once; the other side runs
`create` with the same `--key-id` and the secret (`--secret-stdin`, or `--secret`), so both sign
and check requests with it. `rotate` does the same for a new secret.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from decisions.exchange import transport
from decisions.models import ExchangePartner, Organization


class Command(BaseCommand):
    help = (
        "create: a new exchange partner (another installation at --url, or --transport files) "
        "with a shared secret; rotate: a new secret for it. Prints the key id and the secret "
        "once, unless they were given (the other side's)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "rotate"])
        parser.add_argument("name")
        parser.add_argument("--url", default=None, help="the partner installation's base URL")
        parser.add_argument(
            "--transport", choices=list(ExchangePartner.Transport.values), default=None
        )
        parser.add_argument("--key-id", default=None, help="the key id the other side printed")
        parser.add_argument("--secret", default=None, help="the secret the other side printed")
        parser.add_argument(
            "--secret-stdin", action="store_true", help="read that secret from standard input"
        )
        parser.add_argument(
            "--body",
            action="append",
            default=[],
            metavar="IDENTIFIER",
            help="a body (by identifier code) reached through this partner; repeatable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        secret = options["secret"]
        if options["secret_stdin"]:
            secret = sys.stdin.readline().strip()
        if secret is not None and not options["key_id"]:
            raise CommandError("A given secret needs the --key-id printed with it.")
        if secret is not None and len(secret) < 32:
            raise CommandError("That secret is too short (at least 32 characters).")
        with transaction.atomic():
            partner = (
                ExchangePartner.objects.select_for_update().filter(name=options["name"]).first()
            )
            if options["action"] == "create":
                if partner is not None:
                    raise CommandError(f"Partner {options['name']!r} exists; use rotate.")
                partner = ExchangePartner(name=options["name"])
            elif partner is None:
                raise CommandError(f"No partner named {options['name']!r}.")
            if options["url"] is not None:
                partner.url = options["url"]
            if options["transport"]:
                partner.transport = options["transport"]
            if partner.transport == ExchangePartner.Transport.HTTP and not partner.url:
                raise CommandError("A partner reached over HTTP needs --url.")
            if (
                options["key_id"]
                and ExchangePartner.objects.filter(key_id=options["key_id"])
                .exclude(pk=partner.pk)
                .exists()
            ):
                raise CommandError("Another partner has that key id.")
            new_secret = transport.set_secret(partner, key_id=options["key_id"], secret=secret)
            partner.full_clean()
            partner.save()
            for identifier in options["body"]:
                updated = Organization.objects.filter(identifier=identifier).update(
                    exchange_partner=partner
                )
                if not updated:
                    raise CommandError(f"No body has the identifier code {identifier!r}.")
        self.stdout.write(f"partner={partner.name}")
        self.stdout.write(f"key_id={partner.key_id}")
        if secret is None:
            self.stdout.write(f"secret={new_secret}")
            self.stderr.write(
                "The secret is shown this once: give it, with the key id, to the partner's "
                "administrator over a separate channel."
            )
