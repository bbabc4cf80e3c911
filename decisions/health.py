"""Health: what a load balancer and the province's monitoring ask, and the deployment checks
that `manage.py check --deploy` adds for this project.

`/healthz/web` answers for this app server alone (database, file storage): the balancer takes
a server out when it fails. `/healthz` adds the background workers' heartbeat: monitoring
alerts when no worker is alive. Both are JSON, 200 or 503, without secrets, and never touch
the session.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def _storage() -> dict[str, Any]:
    """Write, read back and delete a small file: the folder (or bucket) is there and writable."""
    name = f"healthz/{socket.gethostname()}-{os.getpid()}.txt"
    stamp = str(time.time()).encode()
    saved = default_storage.save(name, ContentFile(stamp))
    try:
        with default_storage.open(saved) as stored:
            ok = stored.read() == stamp
    finally:
        default_storage.delete(saved)
    return {"ok": ok}


def _workers() -> dict[str, Any]:
    from decisions import jobs

    alive = jobs.alive_workers()
    last = max((beat.seen_at for beat in alive), default=None)
    return {
        "ok": bool(alive),
        "alive": len(alive),
        "last_seen_seconds_ago": round((timezone.now() - last).total_seconds(), 1)
        if last
        else None,
    }


def _probe(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return check()
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}


@never_cache
@require_safe
@login_not_required
def healthz(request: HttpRequest, scope: str = "all") -> JsonResponse:
    parts = {"database": _database, "storage": _storage}
    if scope == "all":
        parts["workers"] = _workers
    report = {name: _probe(check) for name, check in parts.items()}
    healthy = all(part["ok"] for part in report.values())
    return JsonResponse({"ok": healthy, **report}, status=200 if healthy else 503)


# --- manage.py check --deploy ----------------------------------------------------------------


@checks.register(checks.Tags.security, deploy=True)
def deployment_checks(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """What a province's production needs beyond Django's own deployment checks."""
    found: list[checks.CheckMessage] = []
    base = urlsplit(settings.DECISIONS_BASE_URL)
    if base.scheme != "https" or base.hostname in (None, "127.0.0.1", "localhost"):
        found.append(
            checks.Warning(
                _(
                    "DECISIONS_BASE_URL is %(url)s: it is signed into every issued PDF's QR code "
                    "and written in every e-mail."
                )
                % {"url": settings.DECISIONS_BASE_URL},
                hint=_(
                    "Set it to the public https address, e.g. https://quyetdinh.example.gov.vn."
                ),
                id="decisions.W001",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        found.append(
            checks.Warning(
                _("The database is SQLite: one machine, writers one at a time."),
                hint=_("Set DATABASE_URL to PostgreSQL for a province (several app servers)."),
                id="decisions.W002",
            )
        )
    if settings.DECISIONS_TRUST_DEV_PKI:
        found.append(
            checks.Error(
                _("DECISIONS_TRUST_DEV_PKI is on: signatures of the development CA are trusted."),
                hint=_("Turn it off and list the real roots in DECISIONS_TRUST_ROOTS."),
                id="decisions.E003",
            )
        )
    roots = [Path(root) for root in settings.DECISIONS_TRUST_ROOTS]
    if not roots:
        found.append(
            checks.Warning(
                _("No trust root is configured: no signature can be trusted."),
                hint=_(
                    "List the PEM files of the roots (e.g. Ban Cơ yếu Chính phủ's) in "
                    "DECISIONS_TRUST_ROOTS."
                ),
                id="decisions.W003",
            )
        )
    found.extend(
        checks.Error(
            _("The trust root %(path)s does not exist.") % {"path": root},
            hint=_("Fix DECISIONS_TRUST_ROOTS."),
            id="decisions.E004",
        )
        for root in roots
        if not root.is_file()
    )
    keys = Path(settings.DECISIONS_HISTORY_KEYS_FILE)
    if not keys.is_file():
        found.append(
            checks.Error(
                _("The history key file %(path)s does not exist: no history entry can be written.")
                % {"path": keys},
                hint=_(
                    "Run `python manage.py history_key create` once, keep the file outside the "
                    "database and its backups, readable by the application only."
                ),
                id="decisions.E006",
            )
        )
    elif keys.stat().st_mode & 0o077:
        found.append(
            checks.Warning(
                _("The history key file %(path)s can be read by other users.") % {"path": keys},
                hint=_("chmod 600 it (owner: the application's user)."),
                id="decisions.W007",
            )
        )
    tsa = settings.DECISIONS_TSA_URL
    if not tsa or tsa == "dev":
        found.append(
            checks.Warning(
                _(
                    "No timestamp service is configured (or only the development one): "
                    "signatures carry the signer's computer time only, and no long-term proof."
                ),
                hint=_("Set DECISIONS_TSA_URL to an RFC 3161 timestamp service."),
                id="decisions.W005",
            )
        )
    return found
