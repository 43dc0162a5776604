"""Google's quotas, per tracker (view / property), per API key (Google's "project") and per
quota user, as fixed-window counters in Redis (`live_state.ga_quota_charge`, one round trip).

Defaults are the reference's numbers (settings `NOWMETRIX_GA_*`). Daily windows reset at
midnight Pacific time, as Google's do. The quota user is `quotaUser`, else `userIp`, else the
client address; it is hashed so that keys stay short and carry no address."""

from __future__ import annotations

import hashlib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from django.conf import settings

from nowmetrix.client_address import client_address
from realtime import live_state
from gacompat import errors

PACIFIC = ZoneInfo("America/Los_Angeles")
DAY_TTL_SECS = 2 * 86400
HOUR_TTL_SECS = 2 * 3600


def _pacific_day(now: float) -> str:
    return datetime.fromtimestamp(now, tz=timezone.utc).astimezone(PACIFIC).date().isoformat()


def quota_user(request) -> str:
    who = request.GET.get("quotaUser") or request.GET.get("userIp") or client_address(request)
    return hashlib.sha256(who.encode()).hexdigest()[:16]


def v3_charge(*, view_id: int, api_key_id: int, user: str, now: float) -> None:
    """Count one Real Time Reporting request; raise the 403 Google would answer when a quota
    is exhausted (the request still counts, as Google's do)."""
    day = _pacific_day(now)
    window = int(now // 100)
    view_n, key_n, user_n = live_state.ga_quota_charge([
        (f"v3:view:{view_id}:{day}", DAY_TTL_SECS, 1),
        (f"v3:key:{api_key_id}:{day}", DAY_TTL_SECS, 1),
        (f"v3:user:{api_key_id}:{user}:{window}", 200, 1),
    ])
    if view_n > settings.NOWMETRIX_GA_V3_VIEW_REQUESTS_PER_DAY:
        raise errors.daily_limit_exceeded(f"Quota Error: profileId {view_id} has exceeded the daily request limit.")
    if key_n > settings.NOWMETRIX_GA_V3_KEY_REQUESTS_PER_DAY:
        raise errors.daily_limit_exceeded("Daily Limit Exceeded")
    if user_n > settings.NOWMETRIX_GA_V3_USER_REQUESTS_PER_100S:
        raise errors.user_rate_limit_exceeded()


@dataclass(frozen=True)
class PropertyQuota:
    """The GA4 `propertyQuota` of one request: what it consumed and what is left."""

    charged: int
    day_used: int
    hour_used: int
    project_hour_used: int
    in_flight: int = 1  # requests of the property being answered, this one included

    def body(self) -> dict:
        def status(consumed: int, limit: int, used: int) -> dict:
            return {"consumed": consumed, "remaining": max(0, limit - used)}

        return {
            "tokensPerDay": status(self.charged, settings.NOWMETRIX_GA4_TOKENS_PER_DAY, self.day_used),
            "tokensPerHour": status(self.charged, settings.NOWMETRIX_GA4_TOKENS_PER_HOUR, self.hour_used),
            "concurrentRequests": {"consumed": 1, "remaining": max(0, settings.NOWMETRIX_GA4_CONCURRENT_REQUESTS
                                                                   - self.in_flight)},
            "serverErrorsPerProjectPerHour": {"consumed": 0, "remaining": 10},
            "potentiallyThresholdedRequestsPerHour": {"consumed": 0, "remaining": 120},
            "tokensPerProjectPerHour": status(self.charged, settings.NOWMETRIX_GA4_TOKENS_PER_PROJECT_PER_HOUR,
                                              self.project_hour_used),
        }


def ga4_charge(*, property_id: int, api_key_id: int, user: str, now: float) -> PropertyQuota:
    """Charge one realtime request's tokens; 429 RESOURCE_EXHAUSTED when a bucket is empty."""
    cost = settings.NOWMETRIX_GA4_TOKENS_PER_REQUEST
    day, hour, minute = _pacific_day(now), int(now // 3600), int(now // 60)
    day_n, hour_n, project_n, user_n = live_state.ga_quota_charge([
        (f"ga4:day:{property_id}:{day}", DAY_TTL_SECS, cost),
        (f"ga4:hour:{property_id}:{hour}", HOUR_TTL_SECS, cost),
        (f"ga4:project:{api_key_id}:{property_id}:{hour}", HOUR_TTL_SECS, cost),
        (f"ga4:user:{api_key_id}:{user}:{minute}", 120, 1),
    ])
    if day_n > settings.NOWMETRIX_GA4_TOKENS_PER_DAY:
        raise errors.ga4_exhausted("Exhausted property tokens per day for a property. Wait until tomorrow "
                                   "(Pacific time) to send more requests.")
    if hour_n > settings.NOWMETRIX_GA4_TOKENS_PER_HOUR:
        raise errors.ga4_exhausted("Exhausted property tokens per hour for a property. Wait for the next hour "
                                   "to send more requests.")
    if project_n > settings.NOWMETRIX_GA4_TOKENS_PER_PROJECT_PER_HOUR:
        raise errors.ga4_exhausted("Exhausted property tokens for a project per hour. Wait for the next hour "
                                   "to send more requests.")
    if user_n > settings.NOWMETRIX_GA4_USER_REQUESTS_PER_MIN:
        raise errors.ga4_exhausted("Quota exceeded for quota metric 'Realtime Requests' and limit "
                                   "'Realtime Requests per minute per user'.")
    return PropertyQuota(cost, day_n, hour_n, project_n)


@contextmanager
def ga4_concurrent_slot(*, property_id: int, now: float) -> Iterator[int]:
    """Hold one of the property's concurrent-request slots (NOWMETRIX_GA4_CONCURRENT_REQUESTS,
    Google's 10) while the request runs, across every process (Redis); yields the number of
    requests in flight, this one included. 429 RESOURCE_EXHAUSTED when none is free. The slot
    is given back when the request ends, however it ends; a crashed process's slots lapse."""
    request_id = uuid.uuid4().hex
    in_flight = live_state.ga4_slot_take(property_id, request_id, now, settings.NOWMETRIX_GA4_CONCURRENT_REQUESTS)
    if in_flight is None:
        raise errors.ga4_exhausted("Exhausted concurrent requests quota for a property. Wait for a running request "
                                   "to finish, then retry.")
    try:
        yield in_flight
    finally:
        live_state.ga4_slot_release(property_id, request_id)
