"""The connectors' knobs. Each is a Django setting when `nowmetrix/settings.py` defines it, else
the environment variable of the same name, else the default here: every process of one
installation reads the same environment, so they agree.
"""

from __future__ import annotations

import os

from django.conf import settings

DEFAULTS = {
    # Comma-separated keys for credentials at rest; the first encrypts, all decrypt (rotation).
    # Empty: one key derived from SECRET_KEY.
    "NOWMETRIX_CONNECTOR_KEY": "",
    # Where the Telegram Bot API and the Bluesky PDS are, when a channel does not name its own.
    "NOWMETRIX_CONNECTOR_TELEGRAM_API": "https://api.telegram.org",
    "NOWMETRIX_CONNECTOR_BLUESKY_PDS": "https://bsky.social",
    # Seconds to connect to, then to wait on, a channel's server.
    "NOWMETRIX_CONNECTOR_CONNECT_TIMEOUT_SECS": "5",
    "NOWMETRIX_CONNECTOR_READ_TIMEOUT_SECS": "10",
    # Delivery retries after a 5xx, a 429 or a timeout: up to this many, after base * 2**n seconds.
    "NOWMETRIX_CONNECTOR_MAX_RETRIES": "5",
    "NOWMETRIX_CONNECTOR_RETRY_BASE_SECS": "10",
    # 1: channels may post to loopback, private and link-local addresses. Off by default: an
    # Admin of one tenant must not reach the installation's internal services (SSRF).
    "NOWMETRIX_CONNECTOR_ALLOW_PRIVATE": "0",
}


def get(name: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return str(value)


def get_bool(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def get_float(name: str) -> float:
    try:
        return float(get(name))
    except ValueError:
        raise ValueError(f"{name} must be a number, not {get(name)!r}") from None
