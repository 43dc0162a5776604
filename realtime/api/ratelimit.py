"""Per-API-key rate limit: a fixed one-minute window counted in Redis (shared by all processes)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

from realtime import live_state

WINDOW_SECS = 60
clock = time.time


@dataclass(frozen=True)
class Verdict:
    limit: int
    remaining: int
    reset_at: int  # unix time the window ends

    @property
    def allowed(self) -> bool:
        return self.remaining >= 0

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": str(self.reset_at),
        }

    def retry_after(self) -> int:
        return max(1, self.reset_at - int(clock()))


def limit() -> int:
    return settings.NOWMETRIX_RATE_LIMIT_PER_MIN


def check(bucket: str, limit_per_window: int | None = None) -> Verdict:
    limit_ = limit_per_window or limit()
    now = clock()
    window_start = int(now // WINDOW_SECS) * WINDOW_SECS
    used = live_state.rate_limit_incr(bucket, window_start, WINDOW_SECS)
    return Verdict(limit_, limit_ - used, window_start + WINDOW_SECS)
