"""NowMetrix settings: every knob comes from the environment, read here and nowhere else.

Sections: env helpers, instance file, core, database, Redis (cache, Celery, Channels), NowMetrix knobs,
API (DRF), security.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# --- env helpers -----------------------------------------------------------------

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None, maximum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None
    if value != value or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- instance file ---------------------------------------------------------------
# Read before any setting: `make run` writes the installation's generated settings (secret,
# key prefix, database and Redis URLs) to `.nowmetrix/instance-<PORT>.env`, and every process
# of that installation, `manage.py` included, reads them; the environment still wins.
from nowmetrix import instance  # noqa: E402

NOWMETRIX_INSTANCE_FILE = instance.load()

# --- core ------------------------------------------------------------------------

DEV_SECRET_KEY = "dev-insecure-nowmetrix-secret-key-change-me-in-production-0123456789"
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
# A production start (DEBUG off and not explicitly a dev/test run) refuses the development key.
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY and not env_bool("NOWMETRIX_ALLOW_DEV_SECRET", False):
    _found = ", ".join(f"{p.name} (PORT={p.stem.removeprefix('instance-')})" for p in instance.others())
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is not set, and there is no instance file {instance.current_file()} (`make run` writes "
        "it; run it once with the same PORT and NOWMETRIX_STATE_DIR). "
        + (f"Found: {_found}: set that PORT. " if _found else "")
        + "In production set DJANGO_SECRET_KEY; for local use without `make run`, DJANGO_DEBUG=1 or "
        "NOWMETRIX_ALLOW_DEV_SECRET=1 allow the development key."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "trackers",
    "realtime",
    "gacompat",
    "connectors",
    "history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nowmetrix.middleware.ContentSecurityPolicyMiddleware",
    "realtime.api.parameters.RepeatedParameterMiddleware",
    # Static files (admin, dashboard, API docs) served by the app itself: no separate web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nowmetrix.urls"
ASGI_APPLICATION = "nowmetrix.asgi.application"
WSGI_APPLICATION = None

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
                "trackers.context_processors.current_account",
            ],
        },
    },
]

# --- database --------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(
    DATABASE_URL, conn_max_age=env_int("NOWMETRIX_DB_CONN_MAX_AGE", 60, minimum=0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by `make run` and any `manage.py` beside it. A deferred
    # transaction that reads, then writes, fails at once with "database is locked" when another
    # process wrote meanwhile (SQLite cannot wait there without a deadlock); IMMEDIATE takes the
    # write lock at BEGIN, where the busy timeout applies, so writers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=env_int("NOWMETRIX_SQLITE_BUSY_TIMEOUT_SECS", 20, minimum=1))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "trackers:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Without `collectstatic`, WhiteNoise finds files in the apps (the default for `make run`);
# production runs `collectstatic` and may turn this off.
WHITENOISE_USE_FINDERS = env_bool("NOWMETRIX_STATIC_USE_FINDERS", True)

# `make run` also appends console mails to this file (its path is in the banner), so an
# invitation link can be found without scrolling.
NOWMETRIX_MAIL_FILE = env_str("NOWMETRIX_MAIL_FILE", "")
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "nowmetrix.mail.ConsoleAndFileBackend" if NOWMETRIX_MAIL_FILE
                        else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "NowMetrix <noreply@localhost>")

# --- Redis: live state, cache, Celery broker, channel layer ----------------------

# The live state: one server (`redis://`, `rediss://`) or a Redis Cluster (`redis+cluster://HOST:PORT`,
# `rediss+cluster://` with TLS; any node, the client finds the rest). See realtime/live_state/clients.py.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
NOWMETRIX_REDIS_CLUSTER = REDIS_URL.split("://", 1)[0] in ("redis+cluster", "rediss+cluster")
# Every live-state key starts with this prefix (schema version included), so tests and
# several instances can share one Redis server.
NOWMETRIX_REDIS_PREFIX = env_str("NOWMETRIX_REDIS_PREFIX", "nm1")
# How long a live-state Redis call may take before the API answers 503 `redis_unavailable`.
NOWMETRIX_REDIS_TIMEOUT_SECS = env_float("NOWMETRIX_REDIS_TIMEOUT_SECS", 2.0, minimum=0.001)
# Plain Redis servers (comma-separated URLs) for what does not speak Cluster: the channel layer
# (channels-redis shards groups across them), the SSE snapshot announcements (by channel) and
# Django's cache (django-redis's ShardClient past one). Default: REDIS_URL when it is one server.
NOWMETRIX_PUBSUB_REDIS_URLS = env_list("NOWMETRIX_PUBSUB_REDIS_URLS", [] if NOWMETRIX_REDIS_CLUSTER else [REDIS_URL])
if not NOWMETRIX_PUBSUB_REDIS_URLS:
    raise ImproperlyConfigured(
        "REDIS_URL names a Redis Cluster, which channels-redis, Redis pub/sub and Django's cache do not "
        "support: set NOWMETRIX_PUBSUB_REDIS_URLS to one or more plain Redis servers (comma-separated "
        "redis:// URLs), and CELERY_BROKER_URL to RabbitMQ (amqp://) or a plain Redis "
        "(README, \"Deployment\").")
if any(url.split("://", 1)[0].endswith("+cluster") for url in NOWMETRIX_PUBSUB_REDIS_URLS):
    raise ImproperlyConfigured("NOWMETRIX_PUBSUB_REDIS_URLS must name plain Redis servers, not a cluster")

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": NOWMETRIX_PUBSUB_REDIS_URLS if len(NOWMETRIX_PUBSUB_REDIS_URLS) > 1 else NOWMETRIX_PUBSUB_REDIS_URLS[0],
        "KEY_PREFIX": f"{NOWMETRIX_REDIS_PREFIX}:cache",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.ShardClient" if len(NOWMETRIX_PUBSUB_REDIS_URLS) > 1
                    else "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# RabbitMQ (`amqp://`) or a plain Redis; Celery's Redis transport does not speak Cluster, so
# under a cluster REDIS_URL it defaults to the first pub/sub server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", NOWMETRIX_PUBSUB_REDIS_URLS[0] if NOWMETRIX_REDIS_CLUSTER else REDIS_URL)
if CELERY_BROKER_URL.split("://", 1)[0].endswith("+cluster"):
    raise ImproperlyConfigured("CELERY_BROKER_URL cannot be a Redis Cluster: use RabbitMQ (amqp://) or a plain Redis")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Redis transport only (RabbitMQ ignores it: there the queue name below carries the prefix).
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{NOWMETRIX_REDIS_PREFIX}:celery:"}
CELERY_TASK_DEFAULT_QUEUE = f"{NOWMETRIX_REDIS_PREFIX}-default"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# One task at a time per worker process: a worker busy with a tick shard must not hold the
# next shards back from an idle one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

CHANNEL_LAYERS = {
    "default": {
        # The pub/sub layer: broadcast-only groups, no per-channel queues to overflow
        # silently; the dashboard coalesces pushes so a slow client sees the latest snapshot.
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": list(NOWMETRIX_PUBSUB_REDIS_URLS), "prefix": f"{NOWMETRIX_REDIS_PREFIX}-chan"},
    }
}

# --- NowMetrix knobs -------------------------------------------------------------

NOWMETRIX_GEOIP_PATH = env_str("NOWMETRIX_GEOIP_PATH", "")
NOWMETRIX_TRUSTED_PROXIES = env_list("NOWMETRIX_TRUSTED_PROXIES", ["127.0.0.0/8", "::1/128"])
NOWMETRIX_MICROCACHE_SECS = env_int("NOWMETRIX_MICROCACHE_SECS", 8, minimum=0, maximum=3600)
NOWMETRIX_RATE_LIMIT_PER_MIN = env_int("NOWMETRIX_RATE_LIMIT_PER_MIN", 600, minimum=1)
# The keyless public counter (/v1/public/active), per client address.
NOWMETRIX_PUBLIC_RATE_LIMIT_PER_MIN = env_int("NOWMETRIX_PUBLIC_RATE_LIMIT_PER_MIN", 120, minimum=1)
NOWMETRIX_SNAPSHOT_INTERVAL_SECS = env_float("NOWMETRIX_SNAPSHOT_INTERVAL_SECS", 1.0, minimum=0.001)
# The sharded tick (README "Architecture"): trackers are split into this many shards, each built
# by one task a tick, so several workers share the tick. Watched trackers (an open dashboard or
# SSE stream) are rebuilt every NOWMETRIX_WATCHED_INTERVAL_MS when they changed (0: off).
NOWMETRIX_TICK_SHARDS = env_int("NOWMETRIX_TICK_SHARDS", 16, minimum=1, maximum=4096)
NOWMETRIX_WATCHED_INTERVAL_MS = env_int("NOWMETRIX_WATCHED_INTERVAL_MS", 200, minimum=0, maximum=60_000)
# Live sockets hear of logouts and access changes when they happen (realtime/access_changes.py);
# this periodic re-check only catches what was not announced (Django admin edits, expiry).
NOWMETRIX_ACCESS_RECHECK_SECS = env_float("NOWMETRIX_ACCESS_RECHECK_SECS", 600.0, minimum=1.0)
NOWMETRIX_INGEST_FLUSH_MS = env_int("NOWMETRIX_INGEST_FLUSH_MS", 20, minimum=1, maximum=1000)
NOWMETRIX_INGEST_BATCH_MAX = env_int("NOWMETRIX_INGEST_BATCH_MAX", 500, minimum=1)
# History (history/): page rows kept per tracker-day (the rest fold into one "(other)" row),
# and days of history kept (0: forever).
NOWMETRIX_HISTORY_PAGES_PER_DAY = env_int("NOWMETRIX_HISTORY_PAGES_PER_DAY", 1000, minimum=1, maximum=100_000)
NOWMETRIX_HISTORY_RETENTION_DAYS = env_int("NOWMETRIX_HISTORY_RETENTION_DAYS", 0, minimum=0)
# The ingest spool (README "Reliability"): hits Redis cannot take are kept in memory for
# NOWMETRIX_SPOOL_MEMORY_SECS (at most NOWMETRIX_SPOOL_MEMORY_HITS), then in append-only files
# under NOWMETRIX_SPOOL_DIR, up to the caps (the oldest are dropped past them), and replayed
# at NOWMETRIX_SPOOL_REPLAY_HITS_PER_SEC when Redis answers again.
NOWMETRIX_SPOOL_DIR = BASE_DIR / env_str("NOWMETRIX_SPOOL_DIR", ".nowmetrix/spool")  # relative: to BASE_DIR
NOWMETRIX_SPOOL_MEMORY_SECS = env_float("NOWMETRIX_SPOOL_MEMORY_SECS", 1.0, minimum=0.0)
NOWMETRIX_SPOOL_MEMORY_HITS = env_int("NOWMETRIX_SPOOL_MEMORY_HITS", 100_000, minimum=100)
NOWMETRIX_SPOOL_MAX_HITS = env_int("NOWMETRIX_SPOOL_MAX_HITS", 1_000_000, minimum=8)
NOWMETRIX_SPOOL_MAX_BYTES = env_int("NOWMETRIX_SPOOL_MAX_BYTES", 1 << 30, minimum=1 << 16)
NOWMETRIX_SPOOL_REPLAY_HITS_PER_SEC = env_int("NOWMETRIX_SPOOL_REPLAY_HITS_PER_SEC", 20_000, minimum=100)

# --- Google Analytics compatible APIs (gacompat) ----------------------------------
# Quotas default to Google's (shared/spec/ga-realtime.md sections 5.3 and 8.4).

NOWMETRIX_GA_TABLE_CACHE_SECS = env_float("NOWMETRIX_GA_TABLE_CACHE_SECS", 1.0, minimum=0.0)
NOWMETRIX_GA_V3_VIEW_REQUESTS_PER_DAY = env_int("NOWMETRIX_GA_V3_VIEW_REQUESTS_PER_DAY", 10_000, minimum=1)
NOWMETRIX_GA_V3_KEY_REQUESTS_PER_DAY = env_int("NOWMETRIX_GA_V3_KEY_REQUESTS_PER_DAY", 50_000, minimum=1)
NOWMETRIX_GA_V3_USER_REQUESTS_PER_100S = env_int("NOWMETRIX_GA_V3_USER_REQUESTS_PER_100S", 100, minimum=1)
NOWMETRIX_GA4_TOKENS_PER_DAY = env_int("NOWMETRIX_GA4_TOKENS_PER_DAY", 200_000, minimum=1)
NOWMETRIX_GA4_TOKENS_PER_HOUR = env_int("NOWMETRIX_GA4_TOKENS_PER_HOUR", 40_000, minimum=1)
NOWMETRIX_GA4_TOKENS_PER_PROJECT_PER_HOUR = env_int("NOWMETRIX_GA4_TOKENS_PER_PROJECT_PER_HOUR", 14_000, minimum=1)
NOWMETRIX_GA4_USER_REQUESTS_PER_MIN = env_int("NOWMETRIX_GA4_USER_REQUESTS_PER_MIN", 600, minimum=1)
NOWMETRIX_GA4_TOKENS_PER_REQUEST = env_int("NOWMETRIX_GA4_TOKENS_PER_REQUEST", 1, minimum=1)
NOWMETRIX_GA4_CONCURRENT_REQUESTS = env_int("NOWMETRIX_GA4_CONCURRENT_REQUESTS", 10, minimum=1)

# --- connectors (connectors/) ------------------------------------------------------

# Comma-separated keys for channel credentials at rest; the first encrypts, all decrypt
# (rotation). Empty: one key derived from SECRET_KEY.
NOWMETRIX_CONNECTOR_KEY = env_str("NOWMETRIX_CONNECTOR_KEY", "")
# Where the Telegram Bot API and the Bluesky PDS are, when a channel names no URL of its own.
NOWMETRIX_CONNECTOR_TELEGRAM_API = env_str("NOWMETRIX_CONNECTOR_TELEGRAM_API", "https://api.telegram.org")
NOWMETRIX_CONNECTOR_BLUESKY_PDS = env_str("NOWMETRIX_CONNECTOR_BLUESKY_PDS", "https://bsky.social")
NOWMETRIX_CONNECTOR_CONNECT_TIMEOUT_SECS = env_int("NOWMETRIX_CONNECTOR_CONNECT_TIMEOUT_SECS", 5, minimum=1)
NOWMETRIX_CONNECTOR_READ_TIMEOUT_SECS = env_int("NOWMETRIX_CONNECTOR_READ_TIMEOUT_SECS", 10, minimum=1)
# Delivery retries after a 5xx, a 429 or a timeout: up to this many, after base * 2**n seconds.
NOWMETRIX_CONNECTOR_MAX_RETRIES = env_int("NOWMETRIX_CONNECTOR_MAX_RETRIES", 5, minimum=0)
NOWMETRIX_CONNECTOR_RETRY_BASE_SECS = env_int("NOWMETRIX_CONNECTOR_RETRY_BASE_SECS", 10, minimum=1)
# Channels may post to loopback, private and link-local addresses only when this is on: an
# Admin of one tenant must not reach the installation's internal services (SSRF).
NOWMETRIX_CONNECTOR_ALLOW_PRIVATE = env_bool("NOWMETRIX_CONNECTOR_ALLOW_PRIVATE", False)

# --- API -------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["realtime.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "realtime.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NowMetrix API",
    "DESCRIPTION": "Real-time web analytics: the live state of your sites.",
    "VERSION": "1.0.0",
    # The GA-compatible endpoints have a schema of their own (gacompat/openapi.py), linked from /docs/api.
    "EXTERNAL_DOCS": {"description": "Google Analytics compatible APIs (v3, GA4): /docs/ga", "url": "/docs/ga"},
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files (no CDN): drf-spectacular-sidecar.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"ErrorCode": "realtime.api.errors.ERROR_CODES"},
}

# --- security --------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("NOWMETRIX_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("NOWMETRIX_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("NOWMETRIX_HSTS_SECONDS", 0, minimum=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("NOWMETRIX_BEHIND_TLS_PROXY", False) else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("NOWMETRIX_LOG_LEVEL", "INFO")},
    # The tick's once-a-minute summary keeps its level when a Celery worker or beat started
    # with `-l WARNING` (as `make run` does, for a quiet console) lowers the root logger.
    "loggers": {"realtime.tick": {"level": env_str("NOWMETRIX_LOG_LEVEL", "INFO")}},
}

# --- web admin: login and mail throttles, client address (trackers/throttle.py) --------
# Failed logins per account and per client address, counted in clock-aligned windows; at the
# limit, logins are refused until the end of the next window (README, "Logins and mail throttles").
NOWMETRIX_LOGIN_FAILURES_PER_ACCOUNT = env_int("NOWMETRIX_LOGIN_FAILURES_PER_ACCOUNT", 10, minimum=1)
NOWMETRIX_LOGIN_FAILURES_PER_ADDRESS = env_int("NOWMETRIX_LOGIN_FAILURES_PER_ADDRESS", 50, minimum=1)
NOWMETRIX_LOGIN_WINDOW_SECS = env_int("NOWMETRIX_LOGIN_WINDOW_SECS", 900, minimum=1)
# Signup and password-reset mails per recipient and per client address.
NOWMETRIX_AUTH_MAILS_PER_RECIPIENT = env_int("NOWMETRIX_AUTH_MAILS_PER_RECIPIENT", 3, minimum=1)
NOWMETRIX_AUTH_MAILS_PER_ADDRESS = env_int("NOWMETRIX_AUTH_MAILS_PER_ADDRESS", 20, minimum=1)
NOWMETRIX_AUTH_MAIL_WINDOW_SECS = env_int("NOWMETRIX_AUTH_MAIL_WINDOW_SECS", 3600, minimum=1)
# request.client_ip: the client's address as ingest reads it (NOWMETRIX_TRUSTED_PROXIES).
MIDDLEWARE += ["nowmetrix.client_address.ClientAddressMiddleware"]
