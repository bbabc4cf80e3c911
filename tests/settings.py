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
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
WHITENOISE_AUTOREFRESH = True  # serve static files from the finders, no collectstatic
DECISIONS_PKI_DIR = os.environ.get("DECISIONS_PKI_DIR") or tempfile.mkdtemp(
    prefix="decisions-tests-pki-"
)
DECISIONS_TRUST_DEV_PKI = True
DECISIONS_REVOCATION_FETCHING = False
DECISIONS_TSA_URL = ""  # the timestamp tests start a local timestamp service of their own
