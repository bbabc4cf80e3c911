"""Test settings: the real settings, made faster. Nothing else differs."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only")
os.environ.setdefault("DJANGO_READ_DOT_ENV_FILE", "0")  # a developer's .env never reaches the tests

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that starts servers of its own passes them its folders by environment.
MEDIA_ROOT = os.environ.get("DJANGO_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="decisions-tests-media-"
)
SECURE_SSL_REDIRECT = False
if os.environ.get("TESTS_COLLECTED_STATIC"):
    # The browser suite runs once as production serves: collectstatic's hashed files, from
    # DJANGO_STATIC_ROOT, through whitenoise (scripts/test collects them first).
    STORAGES["staticfiles"]["BACKEND"] = "config.storage.ManifestStaticFilesStorage"  # noqa: F405
else:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
    WHITENOISE_AUTOREFRESH = True  # serve static files from the finders, no collectstatic
DECISIONS_PKI_DIR = os.environ.get("DECISIONS_PKI_DIR") or tempfile.mkdtemp(
    prefix="decisions-tests-pki-"
)
DECISIONS_TRUST_DEV_PKI = True
DECISIONS_REVOCATION_FETCHING = False
DECISIONS_TSA_URL = ""  # the timestamp tests start a local timestamp service of their own
# One history key for the test run and the servers it starts (they share this file).
DECISIONS_HISTORY_KEYS_FILE = os.environ.get("DECISIONS_HISTORY_KEYS_FILE") or os.path.join(
    tempfile.gettempdir(), f"decisions-tests-{os.getuid()}-history.keys"
)
DECISIONS_HISTORY_KEYS_CREATE = True
DECISIONS_ANCHOR_DIR = os.environ.get("DECISIONS_ANCHOR_DIR") or tempfile.mkdtemp(
    prefix="decisions-tests-anchors-"
)
# Two-step sign-in is off for the suite's personas; tests/decisions/test_two_factor.py turns
# it on as production has it (config/settings.py).
DECISIONS_2FA_REQUIRED_ROLES = []
