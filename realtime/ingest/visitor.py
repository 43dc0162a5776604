"""Privacy-safe visitor ids and the tracker-local clock.

A visitor id is HMAC-SHA256(salt of the tracker-local date, tracker|ip|user agent), cut to
96 bits. The salt is random, lives only in Redis and expires with its date: an id cannot be
linked to an IP once the day is over, and the IP itself is never written anywhere."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_now(tz_name: str, now: float) -> datetime:
    return _local_second(tz_name, int(now))


@lru_cache(maxsize=1024)
def _local_second(tz_name: str, second: int) -> datetime:
    # Every hit asks for its tracker-local date: once per tracker and second is enough.
    return datetime.fromtimestamp(second, tz=timezone.utc).astimezone(zone(tz_name))


def local_date(tz_name: str, now: float) -> str:
    return local_now(tz_name, now).date().isoformat()


def previous_date_if_recent(tz_name: str, now: float, window_secs: int) -> str | None:
    """Yesterday's local date while today's first live window is still running: a reader active
    across midnight keeps yesterday's id instead of being counted twice."""
    local = local_now(tz_name, now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if (local - midnight).total_seconds() < window_secs:
        return (local.date() - timedelta(days=1)).isoformat()
    return None


@lru_cache(maxsize=65_536)  # a visitor's heartbeats repeat it every 15 s
def visitor_id(salt: str, tracker: str, ip: str, user_agent: str) -> str:
    digest = hmac.new(salt.encode(), f"{tracker}|{ip}|{user_agent}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def page_id(host: str, path: str) -> str:
    """A short stable id of a page (host and path), used as the member in page counters."""
    return hashlib.blake2b(f"{host}{path}".encode(), digest_size=9).hexdigest()
