"""The one settings module. Environments differ by environment variables, not by code.

Every variable is listed, with an empty value, in `.env.example`.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# `.env` is read when it exists (variables already set in the environment win); set
# DJANGO_READ_DOT_ENV_FILE=0 to ignore it (the tests do).
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=(BASE_DIR / ".env").is_file()):
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "django_tasks",
    "django_tasks_db",
    "decisions",
    "workflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "decisions.refusals.RefusalMiddleware",  # ValidationError -> 400; control chars in URLs
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "decisions.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing with "database is locked":
    # WAL lets readers go on while one writes, every transaction takes the write lock when
    # it begins (a deferred one that upgrades later cannot wait, it fails at once), and a
    # writer waits up to DATABASE_BUSY_TIMEOUT seconds for the lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("DATABASE_BUSY_TIMEOUT", default=30.0),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
else:
    # One connection per worker thread, kept between requests (opening one costs more than
    # most pages); checked before reuse so that a restarted database is survived.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "decisions.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.storage.AppDirectoriesFinder",  # leaves out viewflow's unused UI files
]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Files are never served from MEDIA_URL: every download goes through a
# permission-checked view.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.storage.ManifestStaticFilesStorage"
        )
    },
}

# Side effects (e-mails, file clean-up, reminders) are queued in the transaction that causes
# them and run by `manage.py worker` processes (decisions/jobs.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")
# Seconds to wait for the mail server; a worker, not a page, waits.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)

# Security: strict unless explicitly relaxed (development runs with DEBUG on).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
    else None
)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # the PDF preview view opts in with xframe_options_sameorigin

VIEWFLOW = {"AUTOREGISTER": False}  # its middlewares are listed above

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO; its warnings (e.g. a blocked URL) still show.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "ERROR"},  # "FFTM NOT subset" on every filled field
        # pyHanko and its certificate validator narrate every validation step at INFO.
        "pyhanko": {"level": "WARNING"},
        "pyhanko_certvalidator": {"level": "WARNING"},
        # django-tasks logs every task's start and end; the worker command turns it up.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Our own settings (DECISIONS_*) ---------------------------------------
# Annexes (phụ lục) attached to a draft.
DECISIONS_ATTACHMENT_MAX_BYTES = env.int("DECISIONS_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DECISIONS_ATTACHMENT_EXTENSIONS = env.list(
    "DECISIONS_ATTACHMENT_EXTENSIONS",
    default=["pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "jpg", "jpeg", "png"],
)
# The address people open in notification e-mails.
DECISIONS_BASE_URL = env.str("DECISIONS_BASE_URL", default="http://127.0.0.1:8000")
# A receiving body that has not acknowledged after this many working days is reminded.
DECISIONS_REMINDER_WORKING_DAYS = env.int("DECISIONS_REMINDER_WORKING_DAYS", default=2)
# The largest PDF the public verification form accepts.
DECISIONS_VERIFY_MAX_BYTES = env.int("DECISIONS_VERIFY_MAX_BYTES", default=30 * 1024 * 1024)

# Background work (decisions/jobs.py): an e-mail the server refuses is tried again after
# DECISIONS_MAIL_RETRY_SECONDS, doubling each time, DECISIONS_MAIL_ATTEMPTS times in all.
DECISIONS_MAIL_RETRY_SECONDS = env.float("DECISIONS_MAIL_RETRY_SECONDS", default=60.0)
DECISIONS_MAIL_ATTEMPTS = env.int("DECISIONS_MAIL_ATTEMPTS", default=10)
# A worker beats every DECISIONS_WORKER_BEAT_SECONDS; one silent for DECISIONS_WORKER_STALE_SECONDS
# is taken for dead and its running task is run again by another.
DECISIONS_WORKER_BEAT_SECONDS = env.float("DECISIONS_WORKER_BEAT_SECONDS", default=5.0)
DECISIONS_WORKER_STALE_SECONDS = env.float("DECISIONS_WORKER_STALE_SECONDS", default=60.0)

# Digital signatures (decisions/signing). Keys of the development PKI (`make_dev_pki`) live in
# DECISIONS_PKI_DIR, never in git; production keys sit on PKCS#11 tokens or an HSM.
DECISIONS_PKI_DIR = env.str("DECISIONS_PKI_DIR", default=str(BASE_DIR / "var" / "pki"))
# Root certificates (PEM files) whose signatures are trusted, e.g. Ban Cơ yếu Chính phủ's.
DECISIONS_TRUST_ROOTS = env.list("DECISIONS_TRUST_ROOTS", default=[])
# Also trust the development CA (its signatures are labelled test signatures). Never in production.
DECISIONS_TRUST_DEV_PKI = env.bool("DECISIONS_TRUST_DEV_PKI", default=DEBUG)
# Fetch CRLs/OCSP answers over the network when checking certificates.
DECISIONS_REVOCATION_FETCHING = env.bool("DECISIONS_REVOCATION_FETCHING", default=not DEBUG)
# RFC 3161 timestamp service: an http(s) URL, "dev" for the development PKI's own local
# timestamping key, or empty for none (then signatures carry no timestamp, PAdES B-B only).
DECISIONS_TSA_URL = env.str("DECISIONS_TSA_URL", default="dev" if DEBUG else "")
# Seconds to wait for the timestamp service, and for each CRL or OCSP request.
DECISIONS_TSA_TIMEOUT = env.float("DECISIONS_TSA_TIMEOUT", default=5.0)
# The PKCS#11 module for token and HSM keys.
DECISIONS_PKCS11_MODULE = env.str(
    "DECISIONS_PKCS11_MODULE", default="/usr/lib/softhsm/libsofthsm2.so"
)
