"""Test settings: the real settings, made faster. Nothing else differs."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only")
os.environ.setdefault("DJANGO_READ_DOT_ENV_FILE", "0")  # a developer's .env never reaches the tests

from config.settings import *  # noqa: F403


def scratch_folder(variable: str, prefix: str) -> str:
    """The folder named by `variable`, or a fresh temporary one that goes when this process
    ends (not when a forked child does: a render child or a server worker)."""
    if os.environ.get(variable):
        return os.environ[variable]
    folder = tempfile.mkdtemp(prefix=prefix)
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that starts servers of its own passes them its folders by environment.
MEDIA_ROOT = scratch_folder("DJANGO_MEDIA_ROOT", "decisions-tests-media-")
SECURE_SSL_REDIRECT = False
if os.environ.get("TESTS_COLLECTED_STATIC"):
    # The browser suite runs once as production serves: collectstatic's hashed files, from
    # DJANGO_STATIC_ROOT, through whitenoise (scripts/test collects them first).
    STORAGES["staticfiles"]["BACKEND"] = "config.storage.ManifestStaticFilesStorage"  # noqa: F405
else:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
    WHITENOISE_AUTOREFRESH = True  # serve static files from the finders, no collectstatic
DECISIONS_PKI_DIR = scratch_folder("DECISIONS_PKI_DIR", "decisions-tests-pki-")
DECISIONS_TRUST_DEV_PKI = True
DECISIONS_REVOCATION_FETCHING = False
DECISIONS_TSA_URL = ""  # the timestamp tests start a local timestamp service of their own
# One history key for the test run and the servers it starts (they share this file).
DECISIONS_HISTORY_KEYS_FILE = os.environ.get("DECISIONS_HISTORY_KEYS_FILE") or os.path.join(
    tempfile.gettempdir(), f"decisions-tests-{os.getuid()}-history.keys"
)
DECISIONS_HISTORY_KEYS_CREATE = True
DECISIONS_ANCHOR_DIR = scratch_folder("DECISIONS_ANCHOR_DIR", "decisions-tests-anchors-")
# Two-step sign-in is off for the suite's personas; tests/decisions/test_two_factor.py turns
# it on as production has it (config/settings.py).
DECISIONS_2FA_REQUIRED_ROLES = []
