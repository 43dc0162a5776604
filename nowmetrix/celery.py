"""The Celery app and the one beat schedule of NowMetrix."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nowmetrix.settings")

app = Celery("nowmetrix")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _beat_schedule(sender, **kwargs) -> None:
    """The one beat schedule. Declared once Celery has read Django's settings: this module is
    imported with the `nowmetrix` package, before settings.py, so the tick interval is read
    from settings (NOWMETRIX_SNAPSHOT_INTERVAL_SECS) here and not from the environment."""
    from django.conf import settings

    sender.conf.beat_schedule = {
        # Every second: fan out one `tick_shard` task per shard (NOWMETRIX_TICK_SHARDS), each of
        # which expires visitors who left their window, then builds and announces the snapshot of
        # every tracker of its shard with live traffic. Each shard has its own Redis lock, so two
        # beats or a slow pass never overlap on a shard while other workers go on with the rest;
        # `expires` drops ticks (and shard passes) a busy worker could not start in time.
        "realtime-tick": {
            "task": "realtime.tasks.tick",
            "schedule": settings.NOWMETRIX_SNAPSHOT_INTERVAL_SECS,
            "options": {"expires": 2.0},
        },
        # Every minute: republish every tracker's ingest configuration to Redis, which heals the
        # cache after a Redis restart (changes are published at once on save).
        "publish-tracker-configs": {
            "task": "realtime.tasks.publish_tracker_configs",
            "schedule": 60.0,
            "options": {"expires": 30.0},
        },
        # Every 15 seconds: apply the connectors' rules to the stored snapshots (read, never built
        # here). Fine enough for minute-scale durations and hourly limits; per-connector row locks
        # make an overlapping run harmless, and `expires` drops runs a busy worker could not start.
        "connectors-evaluate": {
            "task": "connectors.tasks.evaluate",
            "schedule": 15.0,
            "options": {"expires": 10.0},
        },
        # Every minute: roll up history (history.rollup). Idempotent and locked, so an overlapping
        # or repeated run writes the same rows; a run that misses its minute is caught up by the next.
        "history-rollup": {
            "task": "history.tasks.rollup_history",
            "schedule": 60.0,
            "options": {"expires": 50.0},
        },
        # Daily: delete history older than NOWMETRIX_HISTORY_RETENTION_DAYS (default: keep forever).
        "history-retention": {
            "task": "history.tasks.apply_history_retention",
            "schedule": 86400.0,
            "options": {"expires": 3600.0},
        },
    }


# Process start hooks (nowmetrix/startup.py): check the Redis version, republish every
# tracker's settings, and tell `make run` this process is up. Celery logs and swallows an
# Exception from a signal handler, so a Redis too old stops the process with SystemExit.
def _process_started(name: str, *, check_only: bool = False) -> None:
    import logging

    from nowmetrix.redis_version import RedisTooOld
    from nowmetrix.startup import process_started, redis_version_check

    try:
        redis_version_check() if check_only else process_started(name)
    except RedisTooOld as exc:
        logging.getLogger("nowmetrix.startup").critical("%s", exc)
        raise SystemExit(1) from None


@worker_init.connect
def _worker_checks_redis(**kwargs) -> None:
    # Before the worker talks to its broker: an old Redis fails there in less clear ways.
    _process_started("worker", check_only=True)


@worker_ready.connect
def _worker_started(**kwargs) -> None:
    _process_started("worker")
    # Watched trackers' fast rebuilds (every NOWMETRIX_WATCHED_INTERVAL_MS): a loop in each worker
    # process, beside its tasks; beat cannot schedule sub-second work well (README "Architecture").
    from realtime import watch_loop

    watch_loop.start()


@beat_init.connect
def _beat_started(**kwargs) -> None:
    _process_started("beat")
