"""Settings, all driven by environment variables (documented in README.md, section 配置 / Settings).

ZHIFA_ENV        dev (default) | prod. prod turns on secure cookies and HSTS and refuses default secrets.
ZHIFA_DATA_DIR   where the SQLite file, uploaded files and Parquet partitions live (default ./var).
DATABASE_URL     default sqlite:///$ZHIFA_DATA_DIR/zhifa.sqlite3; postgres://user@host:port/db in production.
ZHIFA_SECRET_KEY Django secret key; required in prod.
ZHIFA_FIELD_KEY  32 hex chars: SM4 key for encrypted personal fields; required in prod.
ZHIFA_AUDIT_KEY  HMAC key of the audit hash chain; required in prod.
ZHIFA_ALLOWED_HOSTS comma-separated host names (default: localhost names in dev, none in prod).
ZHIFA_DB_CONN_MAX_AGE seconds a server thread keeps its database connection (default 600; 0 = per request).
ZHIFA_DB_HEALTH_CHECKS 1 (default) checks a kept connection before a request uses it; 0 does not.
ZHIFA_DB_ALIVE_BYPASS_MS PostgreSQL: no check for a connection that ended a request fine this long ago (500).
ZHIFA_EXPORT_MAX_ROWS most rows one list export writes (100000); ZHIFA_EXPORT_INLINE_ROWS above which it is a job (5000).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # src/zhifa

ZHIFA_ENV = os.environ.get("ZHIFA_ENV", "dev").strip().lower()
if ZHIFA_ENV not in {"dev", "prod"}:
    raise ImproperlyConfigured(f"ZHIFA_ENV 只能是 dev 或 prod，当前为 {ZHIFA_ENV!r}")
PROD = ZHIFA_ENV == "prod"

DATA_DIR = Path(os.environ.get("ZHIFA_DATA_DIR", "./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Where `zhifa audit verify` anchors the audit chain's head outside the database (core.audit; issue 16
# item 7). Put it on other storage than the database in production.
AUDIT_ANCHOR_FILE = Path(os.environ.get("ZHIFA_AUDIT_ANCHOR_FILE") or DATA_DIR / "audit-anchors.jsonl")

_DEV_SECRET = "zhifa-dev-insecure-secret-key-change-me"


def _secret(name: str, dev_default: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if PROD:
        raise ImproperlyConfigured(f"生产环境（ZHIFA_ENV=prod）必须设置 {name}，不能使用默认密钥")
    return dev_default


SECRET_KEY = _secret("ZHIFA_SECRET_KEY", _DEV_SECRET)
# SM4 field key (16 bytes = 32 hex chars). The dev default is derived so that a demo works out of the box.
ZHIFA_FIELD_KEY = _secret("ZHIFA_FIELD_KEY", hashlib.sha256(b"field:" + SECRET_KEY.encode()).hexdigest()[:32])
ZHIFA_AUDIT_KEY = _secret("ZHIFA_AUDIT_KEY", hashlib.sha256(b"audit:" + SECRET_KEY.encode()).hexdigest())

DEBUG = not PROD and os.environ.get("ZHIFA_DEBUG", "1") != "0"

_hosts = os.environ.get("ZHIFA_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or (
    [] if PROD else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
# Reverse proxies whose X-Forwarded-For is believed (core.middleware.client_ip); empty: none.
TRUSTED_PROXIES = frozenset(
    p.strip() for p in os.environ.get("ZHIFA_TRUSTED_PROXIES", "").split(",") if p.strip()
)
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("ZHIFA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "zhifa.core",
    "zhifa.jobs",
    "zhifa.accounts",
    "zhifa.notifications",
    "zhifa.console",
    "zhifa.registry",
    "zhifa.rules",
    "zhifa.evidence",
    "zhifa.documents",
    "zhifa.cases",
    "zhifa.disclosure",
    "zhifa.credit",
    "zhifa.inspections",
    "zhifa.overload",
    "zhifa.monitoring",
    "zhifa.complaints",
    "zhifa.permits",
    "zhifa.people",
    "zhifa.legal",
    "zhifa.reports",
    "zhifa.ops",
]

MIDDLEWARE = [
    "zhifa.ops.middleware.OpsMiddleware",  # /healthz, /readyz, /metrics before host check and HTTPS redirect
    "zhifa.core.middleware.NulParameterMiddleware",  # before any chain: NUL in a parameter is a 422
    "zhifa.core.middleware.PublicMiddleware",  # anonymous public reads take PUBLIC_MIDDLEWARE instead
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhifa.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zhifa.accounts.middleware.SecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Anonymous reads of the public portal and its open API have a chain of their own: security headers, the
# request context and Content-Length; no session, authentication, CSRF or messages
# (core.middleware.PublicMiddleware). Public pages whose forms post keep the full chain.
PUBLIC_PREFIXES = ("/api/v1/public/", "/public/")
PUBLIC_FORM_PREFIXES = ("/public/overload/", "/public/complaints/", "/public/permits/")
PUBLIC_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhifa.core.middleware.RequestContextMiddleware",
    "zhifa.core.middleware.AnonymousMiddleware",
    "django.middleware.common.CommonMiddleware",  # Content-Length, so keep-alive clients need no chunking
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhifa.config.urls"
WSGI_APPLICATION = "zhifa.config.wsgi.application"

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
                "zhifa.reports.context_processors.navigation",  # the menu with the 工作台 counts
                "zhifa.notifications.context_processors.bell",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhifa.sqlite3'}"
# Persistent connections: a new connection per request cost more than the portal's search itself (a
# PostgreSQL backend process per request; on SQLite a cold page cache for every query). Each server
# thread keeps one for ZHIFA_DB_CONN_MAX_AGE seconds and checks it before reuse; 0 closes it after
# every request.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("ZHIFA_DB_CONN_MAX_AGE", "600")),
        conn_health_checks=os.environ.get("ZHIFA_DB_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the per-request health check skipped for a connection that worked moments
    # ago (ZHIFA_DB_ALIVE_BYPASS_MS, default 500; see zhifa.core.postgresql.base)
    DATABASES["default"]["ENGINE"] = "zhifa.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the page read while an import writes; a busy timeout instead of "database is locked".
    # IMMEDIATE: a transaction takes the write lock at BEGIN. Under the default DEFERRED mode a transaction
    # that reads and then writes (every case step) fails at once with "database is locked" when another
    # holds a read lock — the busy timeout cannot help there, waiting would deadlock (issue 16 item 4;
    # tests/core/test_sqlite_concurrency.py: 57 of 80 numbered documents failed with 4 writers).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

# Passwords: PBKDF2-HMAC-SM3 first where the runtime's OpenSSL offers SM3 (密评 GB/T 39786 8.4 a),
# Django's PBKDF2-SHA256 otherwise; old hashes stay verifiable.
from zhifa.core.crypto import SM3_AVAILABLE  # noqa: E402

PASSWORD_HASHERS = (["zhifa.core.hashers.PBKDF2SM3PasswordHasher"] if SM3_AVAILABLE else []) + [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Complexity rules are enforced by accounts.security against the policy the security admin sets.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhifa.accounts.security.PolicyPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "files"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage" if PROD else
                    "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "files"

# Sessions: idle timeout is enforced by accounts.middleware from the security policy; the cookie
# itself dies with the browser (等保 8.1.4.1 b).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PROD:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHIFA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = os.environ.get("ZHIFA_SSL_REDIRECT", "1") != "0"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusal": {"()": "zhifa.core.logfilters.OneLineRefusal"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusal"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIFA_LOG_LEVEL", "WARNING")},
}

# Where notifications go besides the bell: "log" (default, no external call) and/or dotted paths of
# zhifa.notifications.channels.Channel subclasses (SMS, 政务微信, email gateways), comma-separated.
NOTIFICATION_CHANNELS = tuple(
    c.strip() for c in os.environ.get("ZHIFA_NOTIFY_CHANNELS", "log").split(",") if c.strip()
)

# Most rows one list export (导出 Excel / CSV) writes; beyond it the file says how many were left out.
# Computed figures (治超 statistics, template field lists, …) are cached: per process by default; with
# ZHIFA_CACHE_URL=redis://host:6379/1 shared by every web process (the entries carry their sources' size and
# modification time in the key, so a stale entry is never read, only left to expire).
CACHE_URL = os.environ.get("ZHIFA_CACHE_URL", "").strip()
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "TIMEOUT": 3600,
     "KEY_PREFIX": "zhifa"}
    if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhifa", "TIMEOUT": 3600}
)}

# Background jobs (zhifa.jobs): the broker ("" = SQLite file DATA_DIR/jobs.sqlite3; redis://host:6379/0 in
# production), the hour daily jobs run at, and how long a running job may go without a heartbeat before
# it counts as dead. ZHIFA_JOBS_EAGER=1 runs every job inline where it is submitted (tests, one-off use).
JOBS_URL = os.environ.get("ZHIFA_JOBS_URL", "").strip()
JOBS_EAGER = os.environ.get("ZHIFA_JOBS_EAGER", "0") == "1"
JOBS_DAILY_HOUR = int(os.environ.get("ZHIFA_JOBS_DAILY_HOUR", "2"))
JOBS_LEASE_SECONDS = int(os.environ.get("ZHIFA_JOBS_LEASE_SECONDS", "60"))
JOBS_KEEP_DAYS = int(os.environ.get("ZHIFA_JOBS_KEEP_DAYS", "180"))

# The daily backup job (zhifa.ops.tasks): where its snapshots go (empty = no scheduled backup) and how
# many it keeps. Put the directory on other storage than ZHIFA_DATA_DIR (a backup inside it is refused).
BACKUP_DIR = os.environ.get("ZHIFA_BACKUP_DIR", "").strip()
BACKUP_KEEP = int(os.environ.get("ZHIFA_BACKUP_KEEP", "14"))

# The light base map of track and zone pages without a tile server (zhifa.core.basemap): a GeoJSON
# file of the county's outline and main roads. Unset: the schematic 郁南县 file shipped for the demo; empty:
# a plain grid.
MAP_BASE_GEOJSON = os.environ.get("ZHIFA_MAP_BASE_GEOJSON")

EXPORT_MAX_ROWS = int(os.environ.get("ZHIFA_EXPORT_MAX_ROWS", "100000"))
EXPORT_INLINE_ROWS = int(os.environ.get("ZHIFA_EXPORT_INLINE_ROWS", "5000"))

# JT/T 809 platform link (zhifa.monitoring.jt809): the default answer time of a 查岗 in minutes (the national
# limit is UNCONFIRMED), how many random 查岗 each unit's daily draw makes (0 = none), and the reporting
# interval in seconds behind the "positions expected" ceiling (UNCONFIRMED, enforcement-tech.md §3.3).
JT809_ANSWER_MINUTES = int(os.environ.get("ZHIFA_JT809_ANSWER_MINUTES", "10"))
JT809_DAILY_SPOTCHECKS = int(os.environ.get("ZHIFA_JT809_DAILY_SPOTCHECKS", "2"))
JT809_EXPECTED_INTERVAL_S = int(os.environ.get("ZHIFA_JT809_EXPECTED_INTERVAL_S", "30"))
