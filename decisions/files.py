"""Generated files appear under their final name only once the row that names them commits.

A signed or sealed PDF is written first under `pending/<final name>`; the row is saved with
the final name; a `transaction.on_commit` callback moves the file there. A transaction that
rolls back, or a process killed before its commit, leaves only a pending file, which
`manage.py sweep_files` removes a day later (nightly, decisions/jobs.py). A process killed
between the commit and the move leaves a row whose file is still pending: the storage reads
it from there meanwhile (`MediaStorage`), and the sweep finishes the move.

An SIGKILL at any point therefore never leaves a complete signed PDF under a final name that
no row points to (tests/live/test_atomic_files.py).
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

PENDING = "pending/"
# Signals a live test may set to stop the process where a crash hurts most.
PAUSE_ENV = "DECISIONS_TEST_PAUSE_AFTER_PENDING_WRITE"


class MediaStorage(FileSystemStorage):
    """The file storage of uploads and generated files. A file whose row committed but whose
    move from `pending/` has not happened yet (the process stopped in between) is read from
    its pending copy."""

    def _open(self, name: str, mode: str = "rb") -> Any:
        return super()._open(self._committed(name), mode)  # type: ignore[misc]

    def size(self, name: str) -> int:
        return super().size(self._committed(name))

    def _committed(self, name: str) -> str:
        if not self.exists(name) and self.exists(PENDING + name):
            return PENDING + name
        return name


def save_on_commit(instance: models.Model, field_name: str, filename: str, data: bytes) -> str:
    """Write `data` under `pending/`, set the final name on `instance.<field_name>` (the caller
    saves the row in its transaction) and move the file to that name once it commits.
    Returns the pending name (to delete if the caller's block fails)."""
    fieldfile = getattr(instance, field_name)
    storage: Storage = fieldfile.storage
    final = storage.get_available_name(fieldfile.field.generate_filename(instance, filename))
    pending = storage.save(PENDING + final, ContentFile(data))
    final = pending.removeprefix(PENDING)  # a stale pending file may have changed the name
    setattr(instance, field_name, final)
    if os.environ.get(PAUSE_ENV):
        _pause_for_test()
    transaction.on_commit(partial(publish, final, storage=storage), robust=True)
    return pending


def publish(name: str, *, storage: Storage | None = None) -> bool:
    """Move `pending/<name>` to `name` (idempotent: False if there is nothing to move)."""
    storage = storage or default_storage
    pending = PENDING + name
    if not storage.exists(pending):
        return False
    if isinstance(storage, FileSystemStorage):
        target = storage.path(name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(storage.path(pending), target)  # atomic on one file system
        return True
    with storage.open(pending, "rb") as stream:
        storage.save(name, stream)
    storage.delete(pending)
    return True


def delete(name: str, *, storage: Storage | None = None) -> None:
    """Delete a stored file and its pending copy, if any (idempotent)."""
    storage = storage or default_storage
    storage.delete(name)
    storage.delete(PENDING + name)


def _pause_for_test() -> None:
    """Tell a watching test that a pending file is written and the row not committed, then
    wait to be killed (DECISIONS_TEST_PAUSE_AFTER_PENDING_WRITE names the signal file)."""
    import time
    from pathlib import Path

    Path(os.environ[PAUSE_ENV]).write_text(str(os.getpid()))
    time.sleep(600)


# --- The sweep -------------------------------------------------------------------------------


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file under `folder` of `storage`, as storage names."""
    if folder and not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def referenced_names() -> set[str]:
    """Every file name a row points to, in any file field of any installed model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True)
                )
    return names


def sweep(
    *, older_than: datetime.timedelta, dry_run: bool = False, storage: Storage | None = None
) -> tuple[list[str], list[str]]:
    """Remove the stored files no row points to and older than `older_than`; finish the move
    of pending files whose row committed. Returns (removed, moved)."""
    storage = storage or default_storage
    referenced = referenced_names()
    cutoff = timezone.now() - older_than
    removed, moved = [], []
    for name in sorted(stored_files(storage)):
        if name.startswith(PENDING) and name.removeprefix(PENDING) in referenced:
            final = name.removeprefix(PENDING)
            if not storage.exists(final):
                if not dry_run:
                    publish(final, storage=storage)
                moved.append(final)
                continue
        if name in referenced or storage.get_modified_time(name) > cutoff:
            continue
        if not dry_run:
            storage.delete(name)
        removed.append(name)
    if removed and not dry_run:
        logger.warning("Removed %d stored files no row points to", len(removed))
    return removed, moved
