"""Baige settings: one module, read from the environment, with embedded defaults.

With no variables set Baige runs on a SQLite file and local media files in
``var/``, and Celery uses a broker made of plain files, so background work
needs no server. Every variable is documented in docs/configuration.md.
"""

import ipaddress
import os
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.environment import (
    cache_from_env,
    celery_from_env,
    database_from_env,
    env_bool,
    env_list,
    env_networks,
    env_with_secret_files,
    secret_key_from_env,
    storages_from_env,
)
from config.translation import english_fallback_install

# Secrets may come as files (``SECRET_KEY_FILE``...); from here on they read like any variable.
ENV = env_with_secret_files(os.environ)
BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(ENV.get("BAIGE_DATA_DIR", BASE_DIR / "var")).resolve()

DEBUG = env_bool(ENV, "DEBUG", default=False)
ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", [])
# A refused form says so in the site's layout and the visitor's language (Django's page is English only).
CSRF_FAILURE_VIEW = "frontend.errors.csrf_failure"
SITE_URL = ENV.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The platform's name in e-mails (allauth's subjects read "[<name>] ..."); set on the site at each migrate.
SITE_NAME = ENV.get("SITE_NAME") or "Baige"
SECRET_KEY = secret_key_from_env(ENV, debug=DEBUG)
# The Sentry DSN for error reports; like the other secrets it may come from a file (SENTRY_DSN_FILE).
SENTRY_DSN = ENV.get("SENTRY_DSN", "")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "api_tokens",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    # Before allauth, so that its pages use Baige's layout.
    "frontend",
    "allauth",
    "allauth.account",
    "contest",
    "judging",
    "media_pipeline",
    "blog",
    "certificates",
    "messaging",
    "auditlog",
    "activity",
    "monitoring",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after security, so that every log line of a request carries its id.
    "config.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before any view: a path with a NUL character is a 404, not a database error.
    "config.path_guard.NulPathMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "activity.middleware.ActivityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.organiser",
            ],
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": database_from_env(ENV, DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = cache_from_env(ENV, DATA_DIR)
# Sessions are read from the cache (Redis in production) and written through to the database, so a
# page does not query the database for its session, and a cache flushed or lost signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool(ENV, "FAST_PASSWORD_HASHER"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Languages: Kazakh, Russian, English. Every page lives under /kk/, /ru/ or /en/.
LANGUAGE_CODE = ENV.get("LANGUAGE_CODE", "ru")
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
# Earlier wins: Baige's own strings; Kazakh for the Django strings people meet (form errors, password rules);
# Kazakh for django-allauth's strings, which it does not ship.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-django", BASE_DIR / "locale-accounts"]
# A string missing in the visitor's language shows in English, not in LANGUAGE_CODE's language.
english_fallback_install()
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
TIME_ZONE = ENV.get("TIME_ZONE", "Asia/Almaty")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("kk", "ru", "en")
# A text missing in one language falls back to another one.
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "ru", "kk"),
    "kk": ("ru", "en"),
    "ru": ("kk", "en"),
    "en": ("ru", "kk"),
}

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Front-end packages come from npm (package.json); Django serves them under /static/vendor/.
STATICFILES_DIRS = [
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    ("vendor/uppy", BASE_DIR / "node_modules" / "uppy" / "dist"),
    ("vendor/uppy-locales", BASE_DIR / "node_modules" / "@uppy" / "locales" / "dist"),
]
SILENCED_SYSTEM_CHECKS = ["staticfiles.W004"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = storages_from_env(ENV, MEDIA_ROOT)
if STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    # Made now rather than at the first upload, so that /readyz finds it on a fresh install.
    MEDIA_ROOT.mkdir(exist_ok=True)
# Uploads go to a temporary file on disk past 2.5 MB: a video is never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = ENV.get("FILE_UPLOAD_TEMP_DIR") or None

# E-mail: printed to the console in the embedded default.
EMAIL_BACKEND = ENV.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = ENV.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = ENV.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(ENV.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = ENV.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool(ENV, "EMAIL_USE_TLS")
# How many times a worker sends an e-mail again (after 1, 2, 4, … minutes) while the mail server is away.
EMAIL_RETRIES = int(ENV.get("EMAIL_RETRIES", "3"))
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Baige <noreply@baige.local>")

# Accounts (django-allauth): e-mail and password, verified e-mail required.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_SIGNUP_FORM_CLASS = "frontend.participant.forms.ParticipantSignupForm"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Client addresses behind a proxy, and failed logins counted per address and account (tight), per address
# (moderate) and per account (generous), so that a stranger cannot keep a person locked out: see
# frontend/accounts/adapter.py. The other limits are allauth's defaults.
ACCOUNT_ADAPTER = "frontend.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {"login_failed_pair": "5/5m/key", "login_failed": "20/5m/ip,50/h/key"}
# The proxies (addresses or networks, comma-separated) in front of Baige that always append the address
# they see to X-Forwarded-For; behind them the client is the right-most address that is not one of them.
TRUSTED_PROXIES = env_networks(ENV, "TRUSTED_PROXIES")
# People are greeted by their full name, never by the username Baige made up for them.
ACCOUNT_USER_DISPLAY = "contest.names.person_name"
LOGIN_REDIRECT_URL = "frontend:home"
# After logging out a person stays in the language they read, not the one "/" would negotiate.
LOGOUT_REDIRECT_URL = "frontend:home"
LOGIN_URL = "account_login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "api_tokens.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "config.api.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Baige API",
    "DESCRIPTION": "Contests, entries and judging of Baige.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from our own static files, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Ids in paths (config.converters): integers the database can hold.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 2**63 - 1}},
}

# Celery: Redis in production, a file broker that needs no server otherwise.
_celery = celery_from_env(ENV, DATA_DIR)
# The activity log (activity/): auditlog's entries with the contest they belong to (activity/registry.py).
AUDITLOG_LOGENTRY_MODEL = "activity.ActivityEntry"
# auditlog's migrations would make its own log table too, which nothing uses (and which keeps a flush
# from emptying the content types); without them the swapped-out model has no table.
MIGRATION_MODULES = {"auditlog": None}
# Rows loaded as they are (fixtures, a test database restored) are not writes anyone made.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

CELERY_BROKER_URL = _celery["broker_url"]
CELERY_BROKER_TRANSPORT_OPTIONS = _celery["transport_options"]
if CELERY_BROKER_URL == "filesystem://":
    for _folder in ("data_folder_in", "control_folder"):
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[_folder]).mkdir(parents=True, exist_ok=True)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool(ENV, "CELERY_TASK_ALWAYS_EAGER")
CELERY_TIMEZONE = TIME_ZONE
# Seconds a worker processing a file may stay silent before the file is taken back and queued again (a
# live worker speaks every 15 s). Shorter gets work of a crashed worker redone sooner; too short takes
# files from workers that are only slow to write to the database.
MEDIA_STALE_AFTER_SECONDS = int(ENV.get("MEDIA_STALE_AFTER_SECONDS") or 120)
if MEDIA_STALE_AFTER_SECONDS < 45:
    raise ImproperlyConfigured("MEDIA_STALE_AFTER_SECONDS must be at least 45 (three heartbeats of a worker).")
# Days a ZIP of entries' files is kept for organisers to download (asking again for the same files replaces it).
FILES_ARCHIVE_KEEP_DAYS = int(ENV.get("FILES_ARCHIVE_KEEP_DAYS") or 7)
# Days a failed background task stays listed for organisers.
TASK_FAILURE_RETENTION_DAYS = int(ENV.get("TASK_FAILURE_RETENTION_DAYS") or 90)
# Seconds the background-processing page waits for workers to say which queues they take.
MONITORING_WORKER_TIMEOUT = float(ENV.get("MONITORING_WORKER_TIMEOUT") or 1.0)
# Addresses (IPs or CIDR networks) whose /readyz answer names each failing service's error; everyone
# else gets only the statuses. The address is REMOTE_ADDR as Django sees it.
HEALTH_DETAIL_ADDRESSES = env_list(ENV, "HEALTH_DETAIL_ADDRESSES", ["127.0.0.0/8", "::1"])
for _address in HEALTH_DETAIL_ADDRESSES:
    try:
        ipaddress.ip_network(_address, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"HEALTH_DETAIL_ADDRESSES: {_error}") from None
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Assets whose worker died mid-way are taken back and queued again.
    "reap-stuck-assets": {
        "task": "media_pipeline.reap_stuck_assets",
        "schedule": min(60.0, MEDIA_STALE_AFTER_SECONDS / 2),
    },
    # Failed tasks listed for organisers are forgotten after TASK_FAILURE_RETENTION_DAYS.
    "prune-task-failures": {"task": "monitoring.prune_task_failures", "schedule": crontab(minute=30, hour=3)},
    # Parts of uploads abandoned for days are thrown away.
    "discard-stale-uploads": {"task": "media_pipeline.discard_stale_uploads", "schedule": 3600.0},
    # ZIPs of entries' files are deleted FILES_ARCHIVE_KEEP_DAYS after they were built.
    "prune-files-archives": {"task": "exchange.prune_files_archives", "schedule": crontab(minute=45, hour=3)},
    # Jurors with unfinished reviews in an open round get a reminder each morning (at most one per 12 hours).
    "remind-jurors-daily": {"task": "judging.remind_jurors_daily", "schedule": crontab(minute=0, hour=9)},
    # Finalised results go to the blog once the contest's announced time has come (seconds between looks).
    "publish-due-results": {
        "task": "judging.publish_due_results",
        "schedule": float(ENV.get("RESULTS_PUBLISH_INTERVAL", "60")),
    },
    # Rounds open and close at their own times; jurors are reminded two days before a round closes.
    "advance-rounds": {"task": "judging.advance_rounds", "schedule": float(ENV.get("ROUNDS_ADVANCE_INTERVAL", "60"))},
}
# Where workers keep the files of the asset they are processing (deleted afterwards).
MEDIA_WORK_DIR = ENV.get("MEDIA_WORK_DIR") or str(DATA_DIR / "work")
# LibreOffice runs in an empty network namespace; where the system cannot make one (a non-root container
# without user namespaces), presentations are refused unless the operator states that the office worker's
# network is cut off otherwise (an internal-only container network, a firewall).
OFFICE_NETWORK_ISOLATED_EXTERNALLY = env_bool(ENV, "OFFICE_NETWORK_ISOLATED_EXTERNALLY", default=False)

# HTTPS: everything turns on by itself once SITE_URL is https, and stays off on the embedded
# http://127.0.0.1 default, where a redirect to https or a secure-only cookie would lock everyone out.
_https = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool(ENV, "SECURE_COOKIES", default=_https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", default=_https)
# Health probes often speak plain http inside the network; they are never redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a proxy that ends TLS Django sees plain http; only a proxy that always sets (and never passes
# on) X-Forwarded-Proto may be trusted with this, otherwise any client could claim https.
if env_bool(ENV, "SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(ENV.get("SECURE_HSTS_SECONDS") or (365 * 24 * 3600 if _https else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool(ENV, "SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Preloading is a promise to browser vendors that is slow to take back, so it is the operator's choice
# (SECURE_HSTS_PRELOAD=1) and `check --deploy` does not ask for it. Likewise a protection the operator
# turned off on purpose (the proxy redirects or sends HSTS itself) is not reported on every deploy check.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if ENV.get("SECURE_SSL_REDIRECT") and not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")
if ENV.get("SECURE_HSTS_SECONDS") and not SECURE_HSTS_SECONDS:
    SILENCED_SYSTEM_CHECKS.append("security.W004")
if ENV.get("SECURE_HSTS_INCLUDE_SUBDOMAINS") and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    SILENCED_SYSTEM_CHECKS.append("security.W005")

# Content-Security-Policy (django-csp): scripts and styles come only from Baige's static files, never from
# inline code, so injected markup cannot run. config.csp adds the media storage's origin (S3 redirects and
# direct uploads) to img-src, media-src and connect-src. data: and blob: are for Pico's icons and Uppy's
# previews. Django admin needs no inline code either and gets the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# LOG_FORMAT=json writes one JSON object per line (time, level, logger, message, request_id, exception)
# for a log collector, in the web processes and the Celery workers alike; plain text by default.
LOG_FORMAT = ENV.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of every certificate it renders at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Shown in the page footer and e-mails.
BAIGE_NAME = _("Baige")

# Error reports to Sentry, only when a DSN is given. No personal data (user e-mails, IP addresses,
# cookies) is sent: participants are students, and Sentry is a third party.
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
    )
