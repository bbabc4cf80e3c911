"""An installation of the previous release upgrades: its database, with the demo's histories at
every step, is migrated by this release's code and every history then verifies (keyed, sealed,
consistent with its decision). On SQLite in the SQLite pass, on PostgreSQL in its pass."""

import io
import subprocess
import tarfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.db import connection

from tests.live import servers

pytestmark = [pytest.mark.live, pytest.mark.slow]

# The last commit of the release before the keyed history (migrations up to 0021).
PREVIOUS_RELEASE = "ec550c9"


def previous_release(target: Path) -> Path:
    try:
        archive = subprocess.run(
            ["git", "archive", PREVIOUS_RELEASE],
            cwd=servers.ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs the repository's history (git)")
    with tarfile.open(fileobj=io.BytesIO(archive)) as source:
        source.extractall(target, filter="data")
    return target


def test_a_database_of_the_previous_release_migrates_and_every_history_verifies(
    tmp_path: Path,
) -> None:
    old_code = previous_release(tmp_path / "previous")
    with ExitStack() as stack:
        database = (
            stack.enter_context(servers.own_database())
            if connection.vendor == "postgresql"
            else None
        )
        site = servers.environment(tmp_path / "site", database)
        servers.manage(site, "migrate", "-v", "0", code=old_code)
        servers.manage(site, "load_demo", "--allow-production", "-v", "0", code=old_code)
        entries = servers.query(site, "DecisionEvent.objects.count()")
        assert entries > 20

        servers.manage(site, "migrate", "-v", "0")  # this release
        assert servers.query(site, "HistoryHead.objects.count()") == servers.query(
            site, "Decision.objects.filter(events__isnull=False).distinct().count()"
        )
        history = servers.manage(site, "verify_history")
        assert "nguyên vẹn" in history or "intact" in history
        assert servers.query(site, "DecisionEvent.objects.count()") == entries
