"""The one settings module. Environments differ by environment variables, not by code.

Every variable is listed, with an empty value, in `.env.example`.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF
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
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"  # a Vietnamese page, not Django's English one

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",  # its system checks catch settings in the pre-4.0 format
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "django_tasks",
    "django_tasks_db",
    "decisions",
    "workflow",
]

MIDDLEWARE = [
    "config.middleware.RequestSizeLimitMiddleware",  # first: before anything reads a body
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.middleware.LoginRequiredMiddleware",
    "config.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "decisions.refusals.RefusalMiddleware",  # ValidationError -> 400; control chars in URLs
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.RenderTimeoutMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused login into the lockout page
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
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
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
# Sign-in security (README "Sign-in security"). django-axes counts failed logins per account
# and, separately, per client address; at AXES_FAILURE_LIMIT the account (or the address) is
# refused for the cool-off period. A successful login clears the account's count.
AXES_FAILURE_LIMIT = env.int("DECISIONS_LOGIN_MAX_FAILURES", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.int("DECISIONS_LOGIN_COOLOFF_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# a try during the lockout does not start the cool-off again: the page says how long it lasts
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "decisions.sign_in.lockout_response"
AXES_CLIENT_IP_CALLABLE = "decisions.sign_in.client_address"
AXES_USERNAME_FORM_FIELD = "username"
# Proxies in front of the application that append to X-Forwarded-For (nginx: 1); the client
# address is the entry the outermost of them added. 0: REMOTE_ADDR.
DECISIONS_TRUSTED_PROXY_COUNT = env.int(
    "DECISIONS_TRUSTED_PROXY_COUNT",
    default=1 if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False) else 0,
)
# Password reset requests allowed per e-mail address and per client address in a window.
DECISIONS_PASSWORD_RESET_LIMIT = env.int("DECISIONS_PASSWORD_RESET_LIMIT", default=5)
DECISIONS_PASSWORD_RESET_WINDOW_MINUTES = env.int(
    "DECISIONS_PASSWORD_RESET_WINDOW_MINUTES", default=60
)
# Two-step sign-in (django-otp): the roles (decisions.permissions.Role values, comma-separated)
# that must use it, and "admin" for staff users and superusers; everybody else may. Unset or
# empty: the default below; "none": nobody must (the demo, scripts/dev).
_2FA_ROLES = env.str("DECISIONS_2FA_REQUIRED_ROLES", default="").strip()
DECISIONS_2FA_REQUIRED_ROLES = (
    []
    if _2FA_ROLES.lower() == "none"
    else [role.strip() for role in _2FA_ROLES.split(",") if role.strip()]
    or ["chair", "vice_chair", "records_clerk", "admin"]
)
OTP_TOTP_ISSUER = env.str("DECISIONS_2FA_ISSUER", default="Quyết định UBND")
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
    # Django's FileSystemStorage, reading a committed file not yet moved from pending/.
    "default": {"BACKEND": "decisions.files.MediaStorage"},
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

# Content-Security-Policy on every page, ours, the admin's and the public ones: only our own
# scripts, styles, images and frames; no inline script, no inline style, no plugin; nobody
# may frame us. Our templates have no inline <script>, style="…" or onclick="…" (a test scans
# them), and neither have Django's admin templates, so no 'unsafe-inline' and no nonce is
# needed. A PDF answered inline gets a policy of its own (config/middleware.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy on every page: the app uses none of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

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
        # django-axes announces itself at INFO on every start; failed logins and lockouts
        # are warnings (and rows in its tables).
        "axes": {"level": "WARNING"},
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
# The largest edXML package (QCVN 102:2016) received (decisions/exchange): checked before it is
# parsed; the PDF inside is bounded by DECISIONS_VERIFY_MAX_BYTES.
DECISIONS_EDXML_MAX_BYTES = env.int("DECISIONS_EDXML_MAX_BYTES", default=30 * 1024 * 1024)

# Background work (decisions/jobs.py): an e-mail the server refuses is tried again after
# DECISIONS_MAIL_RETRY_SECONDS, doubling each time, DECISIONS_MAIL_ATTEMPTS times in all.
DECISIONS_MAIL_RETRY_SECONDS = env.float("DECISIONS_MAIL_RETRY_SECONDS", default=60.0)
DECISIONS_MAIL_ATTEMPTS = env.int("DECISIONS_MAIL_ATTEMPTS", default=10)

# Document exchange (edXML, decisions/exchange/, docs/exchange.md). A package to a partner that
# does not answer is tried again after DECISIONS_EXCHANGE_RETRY_SECONDS, doubling each time up
# to DECISIONS_EXCHANGE_RETRY_MAX_SECONDS, DECISIONS_EXCHANGE_ATTEMPTS times in all (the
# default keeps trying for about three days); status messages likewise. A signed request is
# accepted within DECISIONS_EXCHANGE_CLOCK_SKEW_SECONDS of its timestamp.
DECISIONS_EXCHANGE_RETRY_SECONDS = env.float("DECISIONS_EXCHANGE_RETRY_SECONDS", default=60.0)
DECISIONS_EXCHANGE_RETRY_MAX_SECONDS = env.float(
    "DECISIONS_EXCHANGE_RETRY_MAX_SECONDS", default=3600.0
)
DECISIONS_EXCHANGE_ATTEMPTS = env.int("DECISIONS_EXCHANGE_ATTEMPTS", default=80)
DECISIONS_EXCHANGE_TIMEOUT_SECONDS = env.float("DECISIONS_EXCHANGE_TIMEOUT_SECONDS", default=60.0)
DECISIONS_EXCHANGE_CLOCK_SKEW_SECONDS = env.int(
    "DECISIONS_EXCHANGE_CLOCK_SKEW_SECONDS", default=300
)
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
# The history's keys (HMAC, one line "<version> <hex key>" each; the highest signs new entries),
# kept outside the database and outside backups: whoever can write the database cannot forge
# history entries. `manage.py history_key create|rotate` writes them; a missing file is created
# with a fresh key only where DECISIONS_HISTORY_KEYS_CREATE (development) allows it.
DECISIONS_HISTORY_KEYS_FILE = env.str(
    "DECISIONS_HISTORY_KEYS_FILE", default=str(BASE_DIR / "var" / "keys" / "history.keys")
)
DECISIONS_HISTORY_KEYS_CREATE = env.bool("DECISIONS_HISTORY_KEYS_CREATE", default=DEBUG)
# The daily anchors of the history (Merkle root of each day's entries, timestamped by the TSA):
# files outside the database, kept by `manage.py backup`; copy them elsewhere too.
DECISIONS_ANCHOR_DIR = env.str("DECISIONS_ANCHOR_DIR", default=str(BASE_DIR / "var" / "anchors"))
# Wrong PINs in a row that lock a signing key, and for how many minutes
# (decisions/signing/attempts.py).
DECISIONS_PIN_MAX_FAILURES = env.int("DECISIONS_PIN_MAX_FAILURES", default=5)
DECISIONS_PIN_LOCKOUT_MINUTES = env.int("DECISIONS_PIN_LOCKOUT_MINUTES", default=15)
# The PKCS#11 module for token and HSM keys.
DECISIONS_PKCS11_MODULE = env.str(
    "DECISIONS_PKCS11_MODULE", default="/usr/lib/softhsm/libsofthsm2.so"
)

# Bounds (issue #15). The largest real decisions have tens of articles and annexes of a few
# tens of pages (~100,000 characters); these limits are well above what a real body writes and
# keep one draft's render within seconds.
DECISIONS_DRAFT_MAX_CHARACTERS = env.int("DECISIONS_DRAFT_MAX_CHARACTERS", default=300_000)
DECISIONS_DRAFT_MAX_ARTICLES = env.int("DECISIONS_DRAFT_MAX_ARTICLES", default=200)
DECISIONS_DRAFT_MAX_ANNEXES = env.int("DECISIONS_DRAFT_MAX_ANNEXES", default=30)
DECISIONS_DRAFT_MAX_RECIPIENTS = env.int("DECISIONS_DRAFT_MAX_RECIPIENTS", default=200)
# A PDF render that takes longer than this many seconds is stopped (it runs in a child
# process, decisions/rendering.py); the person gets a 503 page. 0 renders in-process, unbounded.
# Above the largest allowed draft's render on a busy 2-core server (BENCHMARKS.md,
# largest_draft), below gunicorn's worker timeout (120 s), so the person gets a message, not
# a killed worker.
DECISIONS_RENDER_TIMEOUT = env.float("DECISIONS_RENDER_TIMEOUT", default=60.0)
# Signature and seal images: a seal 4 cm wide at 600 dpi is ~950 pixels, a signature
# 5 cm at 600 dpi ~1200; 4000 pixels a side and 2 MB leave room for any scanner.
DECISIONS_IMAGE_MAX_BYTES = env.int("DECISIONS_IMAGE_MAX_BYTES", default=2 * 1024 * 1024)
DECISIONS_IMAGE_MAX_SIDE = env.int("DECISIONS_IMAGE_MAX_SIDE", default=4000)

# Request bodies, refused from their Content-Length before Django reads them
# (config.middleware.RequestSizeLimitMiddleware, 413): the longest matching path prefix wins,
# "" is every other URL. deploy/nginx-decisions.conf sets the same client_max_body_size per
# location (a test compares them); keep whole MiB. Each limit leaves 1 MiB above the file it
# carries for the form's other fields.
MIB = 1024 * 1024
DECISIONS_REQUEST_MAX_BYTES = {
    "": DECISIONS_ATTACHMENT_MAX_BYTES + MIB,  # attachments, the importer's file, the editor
    "/verify/": DECISIONS_VERIFY_MAX_BYTES + MIB,
    "/exchange/": DECISIONS_EDXML_MAX_BYTES + MIB,  # edXML packages (upload, endpoint)
    "/api/edxml/": DECISIONS_EDXML_MAX_BYTES + MIB,  # packages posted by partner systems
    "/admin/": 2 * DECISIONS_IMAGE_MAX_BYTES + MIB,  # images and certificates
}
# Django's own bounds, set deliberately: form fields other than files are held in memory,
# and the editor posts a whole draft (300,000 characters URL-encoded is up to ~2.7 MB and a
# few thousand fields); uploaded files above 2.5 MB go to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * MIB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * MIB)
