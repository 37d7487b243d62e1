"""Django settings for ccops, configured from the environment.

Every setting a deployment changes comes from a ``CCOPS_*`` environment variable with a
safe default for the demo (see ``docs/platform.md``):

``CCOPS_DATABASE_URL``   database URL (dj-database-url); default SQLite in ``CCOPS_DATA_DIR``
``CCOPS_DATA_DIR``       where the default SQLite file lives (default ``./var``)
``CCOPS_SECRET_KEY``     secret key; required, except in ``ccops demo`` (which sets ``CCOPS_DEMO``)
                         and the test suite, which use a demo key that is refused anywhere else
``CCOPS_DEBUG``          ``1``/``true`` to turn on debug pages (default off; ``ccops demo`` turns
                         it on)
``CCOPS_HTTPS`` and friends  HTTPS behind a proxy: redirect, secure cookies, HSTS (see
                         ``docs/deployment.md``)
``CCOPS_ALLOWED_HOSTS``  comma-separated host names (default ``127.0.0.1,localhost``)
``CCOPS_TIME_ZONE``      the server's default display time zone (default ``Asia/Shanghai``)
``CCOPS_SESSION_IDLE_MINUTES`` / ``CCOPS_SESSION_MAX_HOURS``  session expiry
``CCOPS_LOCKOUT_FAILURES`` / ``CCOPS_LOCKOUT_MINUTES``          lock-out after failed logins
``CCOPS_TASKS_IMMEDIATE`` run background tasks inline instead of in ``ccops worker``
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CCOPS_DATA_DIR", "var")).resolve()

DEMO_SECRET_KEY = "ccops-demo-secret-key-do-not-use-in-production-0123456789abcdef"
# `ccops demo` sets CCOPS_DEMO (and CCOPS_DEBUG) for itself and its worker; pytest sets
# PYTEST_VERSION. Only these two may run on the published demo key.
DEMO = _env_bool("CCOPS_DEMO", False)
TESTING = bool(os.environ.get("PYTEST_VERSION"))
DEBUG = _env_bool("CCOPS_DEBUG", False)
SECRET_KEY = os.environ.get("CCOPS_SECRET_KEY", "")
if not SECRET_KEY and (DEMO or TESTING):
    SECRET_KEY = DEMO_SECRET_KEY
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "CCOPS_SECRET_KEY is not set: set it to a long random value, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "(only `ccops demo` runs without one)"
    )
if SECRET_KEY == DEMO_SECRET_KEY and not (DEMO or TESTING):
    raise ImproperlyConfigured(
        "CCOPS_SECRET_KEY is the published demo key: set your own secret key"
    )
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CCOPS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CCOPS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# ccops apps come first so that their templates and translations take precedence over
# Django's own (e.g. "Log out" is 退出登录, not the admin's 注销).
INSTALLED_APPS = [
    "ccops.web",
    "ccops.core",
    "ccops.people",
    "ccops.wfm",
    "ccops.shiftops",
    "ccops.meetings",
    "ccops.knowledge",
    "ccops.quality",
    "ccops.incidents",
    "ccops.registers",
    "ccops.processes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # ninja in INSTALLED_APPS: the API docs page uses ninja's bundled Swagger UI files
    # (static/ninja/) instead of fetching them from a CDN
    "ninja",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ccops.core.middleware.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ccops.core.middleware.LoginRequiredMiddleware",
    "ccops.core.middleware.SessionLifetimeMiddleware",
    "ccops.core.middleware.SiteTimeZoneMiddleware",
    "ccops.core.middleware.AuditActorMiddleware",
    "ccops.core.cache.RequestMemoMiddleware",
    "ccops.core.middleware.AtomicWritesMiddleware",
    "ccops.core.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ccops.web.urls"
WSGI_APPLICATION = "ccops.web.wsgi.application"

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
                "ccops.core.context_processors.navigation",
                "ccops.core.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands otherwise.
_default_sqlite = f"sqlite:///{DATA_DIR / 'ccops.sqlite3'}"
# CCOPS_DB_CONN_MAX_AGE: seconds a connection is kept for the next request (`ccops serve`
# keeps them 60 s: opening a PostgreSQL connection per request costs more than most pages);
# 0 closes it after each request (the development server starts a thread per request).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("CCOPS_DATABASE_URL") or _default_sqlite,
        conn_max_age=_env_int("CCOPS_DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent web + worker processes: wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # `.iterator()` (every model choice field's options) fetches in one round trip instead
    # of declaring a server-side cursor (three round trips for a dozen rows); also what a
    # transaction-pooling proxy such as PgBouncer needs.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Results computed from rarely changing rows (ccops.core.cache.remember; the service
# manual's rendering) are kept in each process's memory.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ccops",
        "OPTIONS": {"MAX_ENTRIES": 300},
    }
}

# Authentication, passwords, lock-out and sessions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ccops.core.accounts.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": _env_int("CCOPS_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ccops.core.passwords.CharacterClassValidator"},
    {"NAME": "ccops.core.passwords.UsernameValidator"},
]
# The test suite (pytest sets PYTEST_VERSION) hashes test passwords fast.
if _env_bool("CCOPS_FAST_PASSWORD_HASHER", False) or os.environ.get("PYTEST_VERSION"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = _env_int("CCOPS_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("CCOPS_LOCKOUT_MINUTES", 15))
# Lock the account (the manual's rule is per user) and, with a higher limit, the address
# that tries many user names (ccops.core.lockout). The order matters to LockoutHandler.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "ccops.core.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "ccops.core.lockout.client_ip"
CCOPS_LOCKOUT_ADDRESS_FAILURES = _env_int("CCOPS_LOCKOUT_ADDRESS_FAILURES", 20)
# how many reverse proxies in front of ccops append to X-Forwarded-For (0: none)
CCOPS_PROXY_COUNT = _env_int("CCOPS_PROXY_COUNT", 0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

SESSION_IDLE_MINUTES = _env_int("CCOPS_SESSION_IDLE_MINUTES", 60)
SESSION_MAX_HOURS = _env_int("CCOPS_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# the idle timer restarts with each request, saved at most once a minute
# (ccops.core.middleware.SessionLifetimeMiddleware)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# HTTPS (docs/deployment.md). Behind a reverse proxy that ends TLS, CCOPS_HTTPS=1 turns on
# the redirect to https and secure cookies, CCOPS_PROXY_SSL_HEADER=1 trusts the proxy's
# X-Forwarded-Proto, CCOPS_HSTS_SECONDS makes browsers insist on HTTPS (HSTS).
HTTPS = _env_bool("CCOPS_HTTPS", False)
SECURE_SSL_REDIRECT = _env_bool("CCOPS_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's check may use plain HTTP
SESSION_COOKIE_SECURE = _env_bool("CCOPS_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = _env_int("CCOPS_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CCOPS_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False  # closed networks: no public preload list
if _env_bool("CCOPS_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our own static files (no inline
# script anywhere: charts and the language switch are static files, data comes in
# json_script blocks); styles also inline (style attributes of progress bars and the
# heat-map); nothing from another host; no framing.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}

# Internationalisation: English and Simplified Chinese; times stored in UTC.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS: list[Path] = []
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("CCOPS_TIME_ZONE", "Asia/Shanghai")
LANGUAGE_COOKIE_NAME = "ccops_language"
# One date and time style per language (ccops.core.formats).
FORMAT_MODULE_PATH = ["ccops.web.formats"]

# Static files: vendored, served by WhiteNoise (no internet at run time).
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: a file above CCOPS_UPLOAD_MEMORY_BYTES (1 MB) is spooled to a temporary file while
# the request is read (in CCOPS_UPLOAD_TEMP_DIR, default the system's), not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = _env_int("CCOPS_UPLOAD_MEMORY_BYTES", 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = os.environ.get("CCOPS_UPLOAD_TEMP_DIR") or None
WHITENOISE_USE_FINDERS = True  # serves the apps' static files even before collectstatic
# ... so an empty STATIC_ROOT is no error worth a warning at every start
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
WHITENOISE_AUTOREFRESH = DEBUG

# Background tasks: the django-tasks database backend, run by `ccops worker`.
if _env_bool("CCOPS_TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A running job writes a heartbeat every CCOPS_JOB_HEARTBEAT_SECONDS; one silent for
# CCOPS_JOB_STALE_SECONDS lost its worker and is started again CCOPS_JOB_RETRIES times, then
# failed. Workers write their own heartbeat as often (/healthz).
CCOPS_JOB_HEARTBEAT_SECONDS = _env_int("CCOPS_JOB_HEARTBEAT_SECONDS", 10)
CCOPS_JOB_STALE_SECONDS = _env_int("CCOPS_JOB_STALE_SECONDS", 120)
CCOPS_JOB_RETRIES = _env_int("CCOPS_JOB_RETRIES", 1)
if CCOPS_JOB_STALE_SECONDS < 2 * CCOPS_JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "CCOPS_JOB_STALE_SECONDS must be at least twice CCOPS_JOB_HEARTBEAT_SECONDS"
    )

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "ccops": {"handlers": ["console"], "level": os.environ.get("CCOPS_LOG_LEVEL", "INFO")},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

# E-mail: notifications are also e-mailed when CCOPS_EMAIL_NOTIFICATIONS is on and an SMTP
# server is set (closed networks usually have an internal relay).
CCOPS_EMAIL_NOTIFICATIONS = _env_bool("CCOPS_EMAIL_NOTIFICATIONS", False)
CCOPS_EMAIL_LANGUAGE = os.environ.get("CCOPS_EMAIL_LANGUAGE", "zh-hans")
CCOPS_BASE_URL = os.environ.get("CCOPS_BASE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("CCOPS_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("CCOPS_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("CCOPS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CCOPS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("CCOPS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("CCOPS_EMAIL_FROM", "ccops@localhost")

# Pagination of lists (pages and API).
CCOPS_PAGE_SIZE = 50
