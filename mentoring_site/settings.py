"""Settings for the mentoring site, read from the environment.

Every value that differs between a laptop and production comes from an environment
variable; the defaults are safe for a local run (SQLite file, DEBUG off unless asked for).
"""

import os
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from mentoring_site import error_reporting, logs, sign_in_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_limit(name: str, default: int) -> int:
    """A count that must be at least 1 (a limit of 0 would lock everyone out)."""
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, not {value}.")
    return value


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=true for a local development run."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

# Keys that encrypt private text at rest (core/encryption.py): Fernet keys, comma-separated,
# the first one encrypting. Required with DEBUG off; a development key otherwise.
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEY")
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_FIELD_ENCRYPTION_KEY is not set. Make one with: python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    FIELD_ENCRYPTION_KEYS = ["aW5zZWN1cmUtZGV2LWZpZWxkLWtleS1kZWJ1Zy1vbiE="]
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "DJANGO_FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded "
            "bytes), comma-separated."
        ) from None

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks_db",
    "mentoring_site",
    "core",
    "outbox",
    "programs",
    "relationships",
    "goals",
    "evidence",
    "observations",
    "cycles",
    "privacy",
    "audit",
    "reports",
    "nudges",
    "seed",
]

MIDDLEWARE = [
    "mentoring_site.middleware.request_id",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mentoring_site.middleware.without_control_characters",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentoring_site.middleware.person_language",
    "mentoring_site.middleware.no_store_when_signed_in",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the log-in check: a signed-in person who owes the second step reaches nothing else.
    "mentoring_site.two_step.TwoStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentoring_site.urls"
WSGI_APPLICATION = "mentoring_site.wsgi.application"

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
                "django.template.context_processors.csp",
                "mentoring_site.navigation.navigation",
            ],
            # `|date` and `|day` in the reader's language (core/dates.py), in every template.
            "builtins": ["core.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Prepared statements: a query a process has run five times on its connection is prepared,
    # and its later runs skip PostgreSQL's parsing and planning (2 to 3 ms of a workspace page;
    # docs/benchmarks.md, seventh round). It needs the parameters sent apart from the SQL
    # (server-side binding). Off behind a pooler that cannot keep them (docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: Redis when REDIS_URL is set, shared by every process on every machine (the limits
# on password-reset requests count there, and sessions are read from it); else each process's
# own memory. Sessions stay in the database too, so a Redis restart logs nobody out.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must be a redis://, rediss:// or unix:// URL, not {REDIS_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in with an organization's account (mentoring_site/sign_in.py, docs/design.md "Signing
# in"): django-allauth's social accounts beside Django's own log-in page. Each provider shows
# only when its client id and secret are set. Nobody signs up: an identity links, by its
# verified email address, to the person a coordinator already added.
SOCIALACCOUNT_PROVIDERS = sign_in_settings.social_providers(os.environ)
SOCIALACCOUNT_ADAPTER = "mentoring_site.sign_in.SocialAccountAdapter"
ACCOUNT_ADAPTER = "mentoring_site.sign_in.AccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the log-in page's buttons POST; a bare link asks first
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the adapter accepts verified addresses only
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking is the adapter's, by verified address
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_MICROSOFT_EMAIL_TRUSTED = sign_in_settings.microsoft_email_trusted(os.environ)
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]

# Two-step verification (mentoring_site/two_step.py): who must use it (admins: superusers and
# staff; coordinators: anyone who coordinates a program). Anyone may turn it on.
TWO_FACTOR_REQUIRED_FOR = sign_in_settings.two_factor_required_for(os.environ)
TWO_FACTOR_ISSUER = os.environ.get("DJANGO_TWO_FACTOR_ISSUER", "Mentoring & Coaching")

# Throttling (mentoring_site/throttling.py, docs/design.md "Throttling"). Log-ins: within an
# hour, five wrong passwords for one user name from one address lock that user name from it,
# and thirty from one address, whatever the user names, lock the address; for an hour.
AXES_HANDLER = "mentoring_site.throttling.LoginThrottle"
AXES_FAILURE_LIMIT = env_limit("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_limit("AXES_IP_FAILURE_LIMIT", 30)  # ours, not an axes setting
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mentoring_site.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mentoring_site.throttling.client_address"
AXES_HTTP_RESPONSE_CODE = 429  # the lockout page's status: Too Many Requests (axes' default)
# How many proxies in front of the site append to X-Forwarded-For (0: none, use the connection).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be 0 or more, not {PROXY_COUNT}.")
# Requests for a password-reset link, per hour: for one email address, and from one address.
PASSWORD_RESET_EMAIL_LIMIT = env_limit("PASSWORD_RESET_EMAIL_LIMIT", 3)
PASSWORD_RESET_IP_LIMIT = env_limit("PASSWORD_RESET_IP_LIMIT", 20)

# English and Spanish (docs/translation.md). A page is in the language a signed-in person chose
# on their settings page (mentoring_site/middleware.py), else the one chosen on the log-in page
# (the django_language cookie), else the browser's; an email is in its recipient's language.
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/New_York")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
# Files the site makes (the reports' PDFs, reports/jobs.py), through the default storage. Never
# served by URL: a permission-checking view streams each to the one person it is for. The web
# nodes and the task worker must share it (docs/deploy.md).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

# Classroom evidence (evidence/): the files people attach to logs, goals and progress, through
# the `evidence` storage alias. On the file system under MEDIA_ROOT/private by default; in an
# S3-compatible bucket when DJANGO_EVIDENCE_S3_BUCKET is set (django-storages; docs/deploy.md).
# Never served by URL: evidence/serving.py checks permission and streams each file.
EVIDENCE_S3_BUCKET = os.environ.get("DJANGO_EVIDENCE_S3_BUCKET", "")
if EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": os.environ.get("DJANGO_EVIDENCE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_EVIDENCE_S3_REGION") or None,
            "access_key": os.environ.get("DJANGO_EVIDENCE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DJANGO_EVIDENCE_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("DJANGO_EVIDENCE_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env_bool("DJANGO_EVIDENCE_S3_ENCRYPT")
            else {},
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(os.environ.get("DJANGO_EVIDENCE_ROOT") or MEDIA_ROOT / "private"),
            # No public address: base_url is never used, files go through the view.
            "base_url": "/evidence-is-not-served-by-url/",
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
MB = 1024 * 1024
# Largest file kept, by kind (bytes).
EVIDENCE_MAX_UPLOAD_BYTES = {
    "image": env_limit("DJANGO_EVIDENCE_MAX_IMAGE_BYTES", 15 * MB),
    "document": env_limit("DJANGO_EVIDENCE_MAX_DOCUMENT_BYTES", 25 * MB),
    "video": env_limit("DJANGO_EVIDENCE_MAX_VIDEO_BYTES", 200 * MB),
}
# In production behind nginx, e.g. "/protected-evidence/": the file view answers with an
# X-Accel-Redirect to this prefix plus the file's name, and nginx streams it (docs/deploy.md).
# Empty: the view streams the file itself (byte ranges included, for seeking in a video).
EVIDENCE_ACCEL_REDIRECT_PREFIX = os.environ.get("DJANGO_EVIDENCE_ACCEL_REDIRECT_PREFIX", "")
if EVIDENCE_ACCEL_REDIRECT_PREFIX and not (
    EVIDENCE_ACCEL_REDIRECT_PREFIX.startswith("/") and EVIDENCE_ACCEL_REDIRECT_PREFIX.endswith("/")
):
    raise ImproperlyConfigured(
        "DJANGO_EVIDENCE_ACCEL_REDIRECT_PREFIX must start and end with a slash, "
        f"not {EVIDENCE_ACCEL_REDIRECT_PREFIX!r}."
    )
# A report's file is removed this many days after it was made (`manage.py prune_report_jobs`).
REPORT_FILE_DAYS = env_limit("DJANGO_REPORT_FILE_DAYS", 14)
# No figure in a report or in the leaders' roll-up (its pages, downloads and PDF) describes
# fewer people than this: such a cell reads "fewer than 5" (docs/design.md, "Small cells").
SMALL_CELL_MINIMUM = env_limit("DJANGO_SMALL_CELL_MINIMUM", 5)
# The roll-up's counts are kept and read again until something they count changes
# (reports/rollup/stored.py); a kept count is recounted after this many minutes all the same
# (writes in bulk send no signal), and an out-of-date one is shown while the task worker
# counts again, asked at most once per ROLLUP_RECOUNT_RETRY_MINUTES.
ROLLUP_STORED = env_bool("DJANGO_ROLLUP_STORED", True)
ROLLUP_STORED_MAX_AGE_MINUTES = env_limit("DJANGO_ROLLUP_STORED_MAX_AGE_MINUTES", 360)
ROLLUP_RECOUNT_RETRY_MINUTES = env_limit("DJANGO_ROLLUP_RECOUNT_RETRY_MINUTES", 10)
# Each process keeps the coordinator dashboard's rows of this many programs, until something
# their flags read changes, the day changes, or this many minutes pass (reports/kept_rows.py).
DASHBOARD_KEPT_ROWS = env_bool("DJANGO_DASHBOARD_KEPT_ROWS", True)
DASHBOARD_KEPT_PROGRAMS = env_limit("DJANGO_DASHBOARD_KEPT_PROGRAMS", 64)
DASHBOARD_KEPT_MAX_AGE_MINUTES = env_limit("DJANGO_DASHBOARD_KEPT_MAX_AGE_MINUTES", 10)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content security policy: only our own files, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # The log-in page's buttons lead to the configured identity providers (sign_in_settings).
    "form-action": [CSP.SELF, *sign_in_settings.form_action_origins(SOCIALACCOUNT_PROVIDERS)],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers ask for the health endpoint over plain HTTP (mentoring_site/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail: console in development, SMTP in production; DJANGO_EMAIL_BACKEND overrides.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "mentoring@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the accessibility statement (/accessibility/) asks people to report a barrier: a bare
# address, the sender's by default ("Mentoring <m@example.org>" gives m@example.org).
ACCESSIBILITY_CONTACT_EMAIL = (
    os.environ.get("DJANGO_ACCESSIBILITY_CONTACT_EMAIL", "").strip()
    or parseaddr(DEFAULT_FROM_EMAIL)[1]
    or DEFAULT_FROM_EMAIL
)
_email_backend = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mailer: dict = {"BACKEND": _email_backend}
if _email_backend.endswith("smtp.EmailBackend"):
    _mailer["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": env_int("DJANGO_EMAIL_PORT", 25),
        "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
    }
elif _email_backend.endswith("filebased.EmailBackend"):
    _mailer["OPTIONS"] = {"file_path": os.environ.get("DJANGO_EMAIL_FILE_PATH", "sent-mail")}
MAILERS = {"default": _mailer}

# Background work (docs/design.md, "Work that happens on its own"): Django's task framework on
# the database backend of django-tasks-db, run by `manage.py db_worker`. The test suite uses the
# immediate backend (DJANGO_TASKS_BACKEND=immediate), except where it runs the real worker.
_task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
_task_backend = os.environ.get("DJANGO_TASKS_BACKEND", "database")
if _task_backend not in _task_backends:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be one of {', '.join(_task_backends)}, not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": _task_backends[_task_backend], "QUEUES": ["default"]}}

# The outbox (outbox/services.py): a failed send is tried again after 1, 4, 16 and 64 times
# the base wait, then recorded as failed; a send that never finished is handed back to the queue
# after OUTBOX_STALE_SECONDS.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
OUTBOX_STALE_SECONDS = env_int("OUTBOX_STALE_SECONDS", 600)
# For `make cluster-check` only (bin/cluster_check.py): hold every send this many seconds, so
# the check can kill a worker in the middle of one. 0 everywhere else.
OUTBOX_TEST_SEND_DELAY_SECONDS = env_int("OUTBOX_TEST_SEND_DELAY_SECONDS", 0)
OUTBOX_SETTINGS_URL_NAME = "relationships:settings"

# The supervision firewall (relationships/firewall.py): how long a former supervisor is kept
# from a protégé's conversation and private tiers exactly as the current supervisor is.
FIREWALL_FORMER_SUPERVISOR_DAYS = env_int("FIREWALL_FORMER_SUPERVISOR_DAYS", 365)
if FIREWALL_FORMER_SUPERVISOR_DAYS < 0:
    raise ImproperlyConfigured(
        f"FIREWALL_FORMER_SUPERVISOR_DAYS must be 0 or more, not {FIREWALL_FORMER_SUPERVISOR_DAYS}."
    )

# Where the site lives, for links in emails and calendar feeds.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The log, on standard error: one JSON object a line in production, readable lines with DEBUG
# on (DJANGO_LOG_FORMAT=json|text chooses); each line with its request's id
# (mentoring_site/logs.py).
LOG_FORMAT = logs.log_format(os.environ.get("DJANGO_LOG_FORMAT", ""), debug=DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mentoring_site.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "mentoring_site.logs.JsonFormatter"},
        "text": {"format": logs.TEXT_FORMAT},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    # Django's loggers write through the handler above rather than their own (a second, plain
    # line with DEBUG on; mail to ADMINS, whom the site does not have: see SENTRY_DSN).
    "loggers": {"django": {"handlers": [], "propagate": True}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
}

# Error reports to Sentry when SENTRY_DSN is set (mentoring_site/error_reporting.py).
error_reporting.init(os.environ)
