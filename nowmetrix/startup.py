"""What every long-running process does when it starts (web, Celery worker, Celery beat).

1. Refuse a Redis older than NowMetrix needs, with a message that says what to do.
2. Republish every tracker's ingest settings: after Redis came back empty (no persistence, a
   failover, a fresh private Redis), hits of existing trackers are known again at once.
3. Under `make run`, tell the supervisor this process is up (`NOWMETRIX_READY_FILE`), so the
   banner with the credentials is printed only once every process is.

Redis or the database being away is not fatal here: ingest keeps accepting hits, and the tick
republishes as soon as it finds the settings missing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import redis
from django.conf import settings
from django.db import DatabaseError, connections

from nowmetrix.redis_version import check_redis_version, redis_version

log = logging.getLogger(__name__)


def redis_version_check() -> None:
    """Raises RedisTooOld when the Redis at REDIS_URL answers with a version below 7.0; a Redis
    that does not answer is not judged here."""
    try:
        version = redis_version(settings.REDIS_URL)
    except (redis.RedisError, OSError):
        return
    check_redis_version(version, "REDIS_URL")


def process_started(name: str) -> None:
    """Run once per process, after Django is set up; raises RedisTooOld (the process stops)."""
    from realtime import services

    redis_version_check()
    try:
        count = services.tracker_configs_publish_all()
        log.info("%s: republished the settings of %d tracker(s)", name, count)
    except (redis.RedisError, OSError, DatabaseError) as exc:
        log.warning("%s: could not republish tracker settings at start (%s); the tick will", name, exc)
    finally:
        connections.close_all()  # opened in this thread; the process's own work opens its own
    if ready := os.environ.get("NOWMETRIX_READY_FILE"):
        Path(ready).parent.mkdir(parents=True, exist_ok=True)
        Path(ready).write_text(f"{os.getpid()}\n")
