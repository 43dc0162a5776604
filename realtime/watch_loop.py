"""The fast cadence of watched trackers: a daemon thread in each Celery worker process runs
`shards.watched_round` every NOWMETRIX_WATCHED_INTERVAL_MS (200 ms by default).

Why a thread and not a task: beat schedules whole seconds well and 200 ms badly (five messages
a second through the broker, each waiting behind whatever the worker is running), and a task
that loops would hold a worker slot that shard passes need. The thread costs one pipelined read
a round while nobody watches; every worker runs one, and the shard locks keep their rounds from
building one tracker twice (a round skips a shard another worker holds; a tracker rebuilt by
one round has not changed for the next)."""

from __future__ import annotations

import logging
import threading
import time

from redis.exceptions import RedisError

log = logging.getLogger(__name__)
OUTAGE_PAUSE_SECS = 1.0
_started: threading.Thread | None = None


def run_forever(interval_secs: float) -> None:
    from realtime import shards

    next_at = time.monotonic()
    warned_at = 0.0
    while True:
        try:
            shards.watched_round()
        except RedisError as error:
            if time.monotonic() - warned_at > 60:
                warned_at = time.monotonic()
                log.warning("watched trackers' fast rebuilds paused, the live state is unreachable: %r", error)
            time.sleep(OUTAGE_PAUSE_SECS)
        next_at = max(next_at + interval_secs, time.monotonic())  # behind: start again from now, no burst
        time.sleep(max(0.0, next_at - time.monotonic()))


def start() -> threading.Thread | None:
    """Start this process's loop once (None when NOWMETRIX_WATCHED_INTERVAL_MS is 0)."""
    global _started
    from django.conf import settings

    interval_ms = settings.NOWMETRIX_WATCHED_INTERVAL_MS
    if interval_ms <= 0 or _started is not None:
        return _started
    _started = threading.Thread(target=run_forever, args=(interval_ms / 1000,), name="nowmetrix-watched",
                                daemon=True)
    _started.start()
    return _started
