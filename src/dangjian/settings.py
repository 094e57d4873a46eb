"""Settings for Dangjian.

Everything comes from environment variables with safe defaults for the embedded
mode (SQLite under var/). ``DANGJIAN_PRODUCTION=1`` switches to production mode,
which refuses to start without a secret key and allowed hosts.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from dangjian.accounts import directory_config as _directory_config

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("DANGJIAN_HOME", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("DANGJIAN_VAR", PROJECT_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，实际为 {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = envbool("DANGJIAN_PRODUCTION")
DEBUG = envbool("DANGJIAN_DEBUG", default=False)

SECRET_KEY = os.environ.get("DANGJIAN_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("生产模式必须设置环境变量 DANGJIAN_SECRET_KEY（至少 50 个随机字符）")
    SECRET_KEY = "embedded-mode-insecure-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = envlist("DANGJIAN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产模式必须设置环境变量 DANGJIAN_ALLOWED_HOSTS（本系统的域名，逗号分隔）")
CSRF_TRUSTED_ORIGINS = envlist("DANGJIAN_CSRF_TRUSTED_ORIGINS")

# Backups keep times to the microsecond (Django's own JSON stops at the millisecond).
SERIALIZATION_MODULES = {"json": "dangjian.core.exact_json"}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_htmx",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    "dangjian.jobs",
    "dangjian.rules",
    "dangjian.accounts",
    "dangjian.audit",
    "dangjian.orgs",
    "dangjian.people",
    "dangjian.meetings",
    "dangjian.talks",
    "dangjian.compliance",
    "dangjian.appraisal",
    "dangjian.development",
    "dangjian.dues",
    "dangjian.transfers",
    "dangjian.care",
    "dangjian.health",
    "dangjian.facts",
    "dangjian.assessment",
    "dangjian.integration",
    "dangjian.workplan",
    "dangjian.talent",
    "dangjian.ledger",
    "dangjian.stats",
    "dangjian.dashboard",
    "dangjian.submissions",
    "dangjian.api",
    "dangjian.demo",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dangjian.core.middleware.RequestIdMiddleware",
    "dangjian.core.middleware.RejectNulMiddleware",
    "dangjian.core.middleware.IdleSessionMiddleware",
    "dangjian.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangjian.accounts.middleware.SecondFactorMiddleware",
    "dangjian.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "dangjian.accounts.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.core.context_processors.navigation",
                "dangjian.accounts.context_processors.password_warning",
            ],
        },
    }
]

# Database: SQLite (WAL) under var/ unless DATABASE_URL names another one.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DANGJIAN_DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "dangjian.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dangjian.accounts.backends.AccountBackend",
]
# Directory sign-in (LDAP / AD), off unless DANGJIAN_LDAP_URL is set: tried after the local accounts
# (accounts.directory_config, accounts.directory; README "目录登录").
_ldap = _directory_config.ldap_settings(os.environ)
if _ldap:
    AUTHENTICATION_BACKENDS.append(_directory_config.BACKEND)
    globals().update(_ldap)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "dangjian.accounts.validators.PasswordPolicyValidator",
        "OPTIONS": {"min_length": 8, "min_classes": 3},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# 等保 三级 account hygiene (accounts.hygiene): password age, its warning, the dormant-account lock; 0 = off.
PASSWORD_MAX_AGE_DAYS = envint("DANGJIAN_PASSWORD_MAX_AGE_DAYS", 90)
PASSWORD_WARN_DAYS = envint("DANGJIAN_PASSWORD_WARN_DAYS", 14)
INACTIVE_LOCK_DAYS = envint("DANGJIAN_INACTIVE_LOCK_DAYS", 90)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out: 5 failures lock the account and, separately, the address for 15 minutes.
AXES_FAILURE_LIMIT = envint("DANGJIAN_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("DANGJIAN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangjian.accounts.lockout.lockout_response"  # JSON 429 on the API, a page elsewhere
AXES_VERBOSE = False
# A failed one-time code is a failed login (it counts toward the lock-out); never keep the code it tried.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp"]
# Reverse proxies in front of the server: the client address (lock-out, audit log) is read past this many.
PROXY_COUNT = envint("DANGJIAN_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "dangjian.core.client_address.client_ip"

# Second factor (等保 三级, GB/T 22239-2019 8.1.4.1 d: two factors, one of them cryptographic): accounts holding
# one of these roles enrol a TOTP authenticator (RFC 6238) and give its code after the password. Name every role
# to cover all users.
DANGJIAN_2FA_ROLES = envlist("DANGJIAN_2FA_ROLES", "sysadmin,secadmin,auditor")
OTP_TOTP_ISSUER = "智慧党建"

# Idle timeout: the session expires 30 minutes after the last request; polling requests do not count
# (core.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = envint("DANGJIAN_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers and a strict Content-Security-Policy: nothing but our own origin.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("DANGJIAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("DANGJIAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("DANGJIAN_HSTS_PRELOAD", False)
    # Intranet hosts cannot be on the browsers' public preload list; opt in with DANGJIAN_HSTS_PRELOAD=1.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
FORMAT_MODULE_PATH = ["dangjian.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DANGJIAN_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Every file goes through a storage, never a local path, so that any app server or worker can read it:
# "default" holds kept files (meeting attachments, care evidence), "uploads" transient import inputs
# (readable by the server's account only). Local directories under var/ unless DANGJIAN_S3_ENDPOINT names an
# S3-compatible service (MinIO on the intranet) shared by every machine.
S3_ENDPOINT = os.environ.get("DANGJIAN_S3_ENDPOINT", "")
if S3_ENDPOINT:

    def _s3(location: str) -> dict:
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "endpoint_url": S3_ENDPOINT,
                "bucket_name": os.environ.get("DANGJIAN_S3_BUCKET", "dangjian"),
                "access_key": os.environ.get("DANGJIAN_S3_ACCESS_KEY", ""),
                "secret_key": os.environ.get("DANGJIAN_S3_SECRET_KEY", ""),
                "region_name": os.environ.get("DANGJIAN_S3_REGION", "us-east-1"),
                "location": location,
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
                "addressing_style": "path",
            },
        }

    _default_storage, _upload_storage = _s3("media"), _s3("uploads")
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _upload_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": VAR_DIR / "uploads",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
STORAGES = {
    "default": _default_storage,
    "uploads": _upload_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Every spreadsheet import (roster, pay sheet, care events, checkups; web and console) stays within these
# (dangjian.sheets.limits): a reader allocates rows x columns of the sheet's extent, whatever the file's size.
SHEETS_MAX_UPLOAD_BYTES = envint("DANGJIAN_SHEETS_MAX_MB", 20) * 1024 * 1024
SHEETS_MAX_ROWS = envint("DANGJIAN_SHEETS_MAX_ROWS", 200_000)
SHEETS_MAX_COLUMNS = envint("DANGJIAN_SHEETS_MAX_COLUMNS", 200)
SHEETS_MAX_CELLS = envint("DANGJIAN_SHEETS_MAX_CELLS", 5_000_000)
SHEETS_MAX_CELL_CHARS = envint("DANGJIAN_SHEETS_MAX_CELL_CHARS", 32_767)
SHEETS_MAX_XML_BYTES = envint("DANGJIAN_SHEETS_MAX_XML_MB", 256) * 1024 * 1024
# An import report keeps the first N row errors, then "另有 N 处错误".
SHEETS_MAX_REPORTED_ERRORS = envint("DANGJIAN_SHEETS_MAX_REPORTED_ERRORS", 1000)
# An upload that passed its dry run waits this long for confirmation, then is deleted.
IMPORT_UPLOAD_RETENTION_HOURS = envint("DANGJIAN_IMPORT_UPLOAD_RETENTION_HOURS", 24)

# Audit chain: HMAC under DANGJIAN_AUDIT_KEY (see audit/chain.py), the hash SM3 (GB/T 32905) by default;
# sha256 for deployments that need it.
AUDIT_HASH_ALGORITHM = os.environ.get("DANGJIAN_AUDIT_HASH", "sm3")
# Audit records are kept at least six months (网络安全法 art. 21(3)); a longer period may be set, never a shorter.
AUDIT_RETENTION_DAYS = max(180, envint("DANGJIAN_AUDIT_RETENTION_DAYS", 180))

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
API_TOKEN_DAYS = envint("DANGJIAN_API_TOKEN_DAYS", 30)

EMAIL_HOST = os.environ.get("DANGJIAN_SMTP_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.dummy.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGJIAN_LOG_LEVEL", "WARNING")},
}

# A meeting QR code works from this long before the start until this long after the end.
CHECKIN_WINDOW_MINUTES = envint("DANGJIAN_CHECKIN_WINDOW_MINUTES", 30)
# Background jobs (dangjian.jobs): rows in the database, run by `dangjian worker` processes on any machine.
# Two caches. "default" is each process's memory: small lookups that pages make every time (the scope's roots).
# "shared" is a table in the database, read by every process on every machine of that database (web workers, the
# job worker, commands): values worth computing once for all, such as the dashboards' (``dangjian dashboard-warm``).
# Its table is made by ``migrate`` (core 0003). DANGJIAN_SHARED_CACHE_LOCAL=1 (tests) keeps it in memory as well.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
        if envbool("DANGJIAN_SHARED_CACHE_LOCAL", False)
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dangjian_cache",
            # Django's default of 300 entries is fewer than a group's dashboards (one per landing organisation,
            # year and language); past the maximum a write drops the expired entries and a third of the rest
            "OPTIONS": {"MAX_ENTRIES": envint("DANGJIAN_SHARED_CACHE_ENTRIES", 50_000), "CULL_FREQUENCY": 3},
        }
    ),
}

# how long the in-party statistics' figures stay in the shared cache after their data last changed (stats.reuse)
STATS_CACHE_SECONDS = envint("DANGJIAN_STATS_CACHE_SECONDS", 600)

# DANGJIAN_TASKS_INLINE=1 (tests) runs each job before the call that starts it returns.
TASKS_INLINE = envbool("DANGJIAN_TASKS_INLINE", False)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend" if TASKS_INLINE else "django_tasks_db.DatabaseBackend"
        )
    }
}
# A running job beats every JOBS_HEARTBEAT_SECONDS; one silent for JOBS_STALE_SECONDS lost its worker and is
# retried (all-or-nothing jobs, up to JOBS_MAX_ATTEMPTS attempts) or failed with the reason.
JOBS_HEARTBEAT_SECONDS = 0 if TASKS_INLINE else envint("DANGJIAN_JOBS_HEARTBEAT_SECONDS", 10)
# SQLite has one writer: a job's own long transaction (a large import) holds back its heartbeats, so allow longer.
JOBS_STALE_SECONDS = envint("DANGJIAN_JOBS_STALE_SECONDS", 120 if DATABASE_URL else 600)
JOBS_REAP_SECONDS = envint("DANGJIAN_JOBS_REAP_SECONDS", 60)
JOBS_MAX_ATTEMPTS = envint("DANGJIAN_JOBS_MAX_ATTEMPTS", 3)
# How long the dashboard (仪表盘) reuses the facts it computed for an organisation, year and language (seconds);
# ``dangjian dashboard-warm`` refills them ahead of the first request. Across processes only with a shared CACHES.
DASHBOARD_CACHE_SECONDS = envint("DANGJIAN_DASHBOARD_CACHE_SECONDS", 300)
WHITENOISE_USE_FINDERS = not PRODUCTION
