"""Backups that restore: the database, every stored file and the public parts of the PKI,
into one folder with a manifest of checksums; and the way back.

- PostgreSQL: `pg_dump --format=custom` (restored with `pg_restore`); SQLite: the online
  backup API (a consistent copy while the application runs).
- Files: every file behind the storage API (a folder, or S3-compatible object storage), in
  one tar archive; restored through the same API.
- PKI: certificates, CRLs and the revocation list; never a private key (a file holding
  "PRIVATE KEY", a PKCS#12 key file or a token's data is left out): keys are re-issued or live
  on tokens, and what is needed to *check* the signatures of issued decisions is public.
- Anchors: the daily anchors of the history (DECISIONS_ANCHOR_DIR), which live outside the
  database. The history's keys are secrets and are not in a backup: keep them with the others.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections

DATABASE_DUMP = "database.dump"
DATABASE_SQLITE = "database.sqlite3"
FILES = "files.tar"
PKI = "pki.tar"
ANCHORS = "anchors.tar"
MANIFEST = "manifest.json"
PUBLIC_PKI_SUFFIXES = (".cert.pem", ".crt", ".cer", ".crl.der", ".crl", ".json")


def _stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _stored_files(storage, f"{folder}/{sub}" if folder else sub)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}@{host}:{port}/{quote(db['NAME'], safe='')}"


def _program(name: str) -> str:
    """PostgreSQL's client program `name` (Debian: postgresql-client)."""
    path = shutil.which(name)
    if path is None:
        raise ValueError(f"{name} is missing: install postgresql-client")
    return path


def _postgres_env() -> dict[str, str]:
    return {**os.environ, "PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}


def public_pki_files(root: Path) -> list[Path]:
    """The PKI folder's public files: certificates, CRLs, the revocation list."""
    if not root.is_dir():
        return []
    public = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or not path.name.endswith(PUBLIC_PKI_SUFFIXES):
            continue
        if b"PRIVATE KEY" in path.read_bytes():
            continue
        public.append(path)
    return public


def backup(target: Path) -> dict[str, Any]:
    """Write a backup into `target` (a new folder); return its manifest."""
    target.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    if vendor == "postgresql":
        subprocess.run(  # noqa: S603 - fixed program, settings' own database
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target / DATABASE_DUMP),
                _postgres_url(),
            ],
            env=_postgres_env(),
            check=True,
        )
        database = DATABASE_DUMP
    elif vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / DATABASE_SQLITE) as copy:
            connection.connection.backup(copy)
        copy.close()
        database = DATABASE_SQLITE
    else:
        raise NotImplementedError(vendor)
    files = 0
    with tarfile.open(target / FILES, "w") as archive:
        for name in _stored_files(default_storage):
            with default_storage.open(name, "rb") as stream:
                data = stream.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            files += 1
    pki_root = Path(settings.DECISIONS_PKI_DIR)
    pki_files = public_pki_files(pki_root)
    with tarfile.open(target / PKI, "w") as archive:
        for path in pki_files:
            archive.add(path, arcname=str(path.relative_to(pki_root)))
    anchor_root = Path(settings.DECISIONS_ANCHOR_DIR)
    with tarfile.open(target / ANCHORS, "w") as archive:
        for path in sorted(anchor_root.glob("*/*.json")):
            archive.add(path, arcname=str(path.relative_to(anchor_root)))
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database_vendor": vendor,
        "database": database,
        "files": files,
        "pki_files": [str(path.relative_to(pki_root)) for path in pki_files],
        "sha256": {name: _sha256(target / name) for name in (database, FILES, PKI, ANCHORS)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def check(source: Path) -> dict[str, Any]:
    """The backup's manifest, after checking every part against its checksum."""
    manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    for name, expected in manifest["sha256"].items():
        if _sha256(source / name) != expected:
            raise ValueError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def restore(source: Path) -> dict[str, Any]:
    """Restore a backup into the configured (empty) database, file storage and PKI folder."""
    manifest = check(source)
    if manifest["database_vendor"] != connection.vendor:
        raise ValueError(
            f"a {manifest['database_vendor']} backup cannot be restored into {connection.vendor}"
        )
    if connection.vendor == "postgresql":
        connections.close_all()
        subprocess.run(  # noqa: S603 - fixed program, settings' own database
            [
                _program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--exit-on-error",
                "--dbname",
                _postgres_url(),
                str(source / DATABASE_DUMP),
            ],
            env=_postgres_env(),
            check=True,
        )
    else:
        connections.close_all()
        target = Path(connection.settings_dict["NAME"])
        for journal in (f"{target}-wal", f"{target}-shm"):  # a stale journal of the old file
            Path(journal).unlink(missing_ok=True)
        shutil.copyfile(source / DATABASE_SQLITE, target)
    with tarfile.open(source / FILES) as archive:
        for member in archive:
            if not member.isfile():
                continue
            stream = archive.extractfile(member)
            assert stream is not None  # noqa: S101 - a regular file has a stream
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            saved = default_storage.save(member.name, ContentFile(stream.read()))
            if saved != member.name:
                raise ValueError(f"{member.name} was stored as {saved}")
    pki_root = Path(settings.DECISIONS_PKI_DIR)
    pki_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / PKI) as archive:
        archive.extractall(pki_root, filter="data")
    if (source / ANCHORS).exists():  # backups made before the anchors have none
        anchor_root = Path(settings.DECISIONS_ANCHOR_DIR)
        anchor_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / ANCHORS) as archive:
            archive.extractall(anchor_root, filter="data")
    return manifest
