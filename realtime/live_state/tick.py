"""The tick's bookkeeping in Redis: the "settings published" mark, and the counters behind its
once-a-minute summary (shared by every worker process, so one line a minute in all)."""

from __future__ import annotations

import time

from realtime import keys
from realtime.live_state.clients import client


def configs_published_mark() -> None:
    client().set(keys.configs_published(), str(int(time.time())), ex=keys.CONFIGS_PUBLISHED_TTL_SECS)


def configs_published() -> bool:
    return bool(client().exists(keys.configs_published()))


def tick_warning_allowed() -> bool:
    """True at most once every TICK_WARNING_SECS across the installation."""
    return bool(client().set(keys.tick_warning_gate(), "1", nx=True, ex=keys.TICK_WARNING_SECS))


def tick_stats_add(trackers: int, busy_ms: float, *, late: bool, skipped: bool) -> tuple[dict[str, float] | None, bool]:
    """Count one pass; one round trip. Returns the stats of the last minute when this pass is
    the one to log them (else None), and whether it may log a falling-behind warning now."""
    pipe = client().pipeline(transaction=False)
    stats = keys.tick_stats()
    pipe.hincrby(stats, "passes", 1)
    pipe.hincrby(stats, "trackers", trackers)
    pipe.hincrbyfloat(stats, "busy_ms", busy_ms)
    pipe.hincrby(stats, "late", int(late))
    pipe.hincrby(stats, "skipped", int(skipped))
    pipe.set(keys.tick_summary_gate(), "1", nx=True, ex=keys.TICK_STATS_SECS)
    if late:
        pipe.set(keys.tick_warning_gate(), "1", nx=True, ex=keys.TICK_WARNING_SECS)
    replies = pipe.execute()
    may_warn = bool(replies[6]) if late else False
    if not replies[5]:
        return None, may_warn
    taken = client().pipeline(transaction=True)
    taken.hgetall(stats)
    taken.delete(stats)
    raw = taken.execute()[0]
    return {name: float(value) for name, value in raw.items()}, may_warn
