"""Backups that restore: a site with issued decisions is backed up, restored into a new
empty database, file storage and PKI folder, and every history and every issued PDF checks
out there. On SQLite in the SQLite pass, on PostgreSQL (pg_dump / pg_restore) in its pass."""

from __future__ import annotations

import tarfile
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.db import connection

from tests.live import servers

pytestmark = [pytest.mark.live, pytest.mark.slow]


def test_a_backup_restores_into_a_new_site_where_every_history_and_pdf_checks_out(
    tmp_path: Path,
) -> None:
    postgres = connection.vendor == "postgresql"
    with ExitStack() as stack:
        databases: list[str | None] = [None, None]
        if postgres:
            databases = [stack.enter_context(servers.own_database()) for _ in range(2)]
        site = servers.environment(tmp_path / "site", databases[0])
        ids = servers.stage(site, 0, 2)
        issued = servers.query(
            site, "sorted(Decision.objects.exclude(pdf='').values_list('pk', 'pdf'))"
        )
        assert len(issued) == 3  # seed 000 and the two staged ones
        anchored = servers.manage(  # today's entries, anchored as if the day were over
            site,
            "shell",
            "-c",
            "import datetime; from django.utils import timezone; from decisions import anchors; "
            "day = timezone.localdate(); "
            "print(anchors.anchor_day(day, today=day + datetime.timedelta(days=1)))",
        )
        anchor = anchored.strip().splitlines()[-1]
        servers.manage(site, "backup", str(tmp_path / "backup"))

        # Never a private key in the backup.
        with tarfile.open(tmp_path / "backup" / "pki.tar") as pki:
            names = pki.getnames()
            assert "ca.cert.pem" in names
            for member in pki.getmembers():
                content = pki.extractfile(member).read() if member.isfile() else b""  # type: ignore[union-attr]
                assert b"PRIVATE KEY" not in content, member.name
                assert not member.name.endswith((".p12", ".key.pem"))

        restored = servers.environment(tmp_path / "restored", databases[1])
        out = servers.manage(restored, "restore", str(tmp_path / "backup"))
        assert "Đã khôi phục" in out or "Restored" in out
        history = servers.manage(restored, "verify_history")  # against the restored anchor
        assert "nguyên vẹn" in history or "intact" in history
        assert (
            tmp_path
            / "restored"
            / "anchors"
            / Path(anchor).relative_to(tmp_path / "site" / "anchors")
        ).is_file()
        assert servers.query(restored, "Decision.objects.count()") == servers.query(
            site, "Decision.objects.count()"
        )
        for pk, name in issued:
            report = servers.manage(
                restored, "verify_pdf", str(tmp_path / "restored" / "media" / name)
            )
            assert report.count("Hợp lệ: có") == 2, report  # the leader's and the seal
            reference = servers.query(restored, f"Decision.objects.get(pk={pk}).reference")
            assert reference in report  # found in the restored register
        assert set(ids["to_acknowledge"]) <= {pk for pk, _ in issued}
