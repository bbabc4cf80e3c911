"""The keys of the history's HMAC chain, read from a file outside the database.

One line per key: "<version> <64 hex digits>"; the highest version keys new entries, older
ones stay to check the entries they keyed (rotation never rewrites the history). Whoever can
write the database but not read this file cannot make an entry, or a changed one, that verifies.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class MissingKeyError(ImproperlyConfigured):
    pass


def path() -> Path:
    return Path(settings.DECISIONS_HISTORY_KEYS_FILE)


@cache
def keys() -> dict[int, bytes]:
    """Every key by version; creates the file with a first key where the settings allow it."""
    file = path()
    if not file.exists():
        if not settings.DECISIONS_HISTORY_KEYS_CREATE:
            raise MissingKeyError(
                f"The history key file {file} is missing: create it with "
                "`python manage.py history_key create` and keep it outside the database."
            )
        create(file)
    found: dict[int, bytes] = {}
    for number, line in enumerate(file.read_text(encoding="ascii").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            version_text, key_hex = line.split()
            version, key = int(version_text), bytes.fromhex(key_hex)
        except ValueError as error:
            message = f"{file}, line {number}: not “<version> <hex key>”"
            raise ImproperlyConfigured(message) from error
        if version < 1 or len(key) < 32:
            raise ImproperlyConfigured(f"{file}, line {number}: version ≥ 1, key ≥ 32 bytes")
        found[version] = key
    if not found:
        raise MissingKeyError(f"The history key file {file} holds no key.")
    return found


def current() -> tuple[int, bytes]:
    version = max(keys())
    return version, keys()[version]


def key(version: int) -> bytes | None:
    return keys().get(version)


def create(file: Path) -> bool:
    """Write a new key file with version 1 (readable by its owner only); False if it exists.

    The file appears whole or not at all (written aside, then linked to its name), so another
    process starting at the same moment never reads it half written."""
    file.parent.mkdir(parents=True, exist_ok=True)
    if file.exists():
        return False
    descriptor, draft = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:  # mkstemp's mode is 0600
            out.write(f"1 {secrets.token_hex(32)}\n")
        os.link(draft, file)
    except FileExistsError:
        return False
    finally:
        os.unlink(draft)
    keys.cache_clear()
    return True


def rotate(file: Path) -> int:
    """Add a key with the next version: new entries use it from now on."""
    version = max(keys()) + 1
    with file.open("a", encoding="ascii") as out:
        out.write(f"{version} {secrets.token_hex(32)}\n")
    keys.cache_clear()
    return version


@receiver(setting_changed)
def _forget(setting: str, **kwargs: object) -> None:
    if setting.startswith("DECISIONS_HISTORY_KEYS"):
        keys.cache_clear()
