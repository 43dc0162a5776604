"""Celery tasks: thin, idempotent, time-limited; each calls one service."""

from celery import shared_task
from django.conf import settings

from realtime import services, shards


@shared_task(name="realtime.tasks.tick", ignore_result=True, time_limit=20, soft_time_limit=15)
def tick() -> int:
    """Beat's tick: one `tick_shard` task per shard with live trackers, the longest unbuilt first,
    each dropped when not started within the interval (the next tick's is queued by then)."""
    tick_ms = shards.tick_begin()
    interval = settings.NOWMETRIX_SNAPSHOT_INTERVAL_SECS
    plan = shards.tick_plan(tick_ms)
    for shard in plan:
        tick_shard.apply_async((shard, tick_ms), expires=interval)
    return len(plan)


@shared_task(name="realtime.tasks.tick_shard", ignore_result=True, time_limit=60, soft_time_limit=50)
def tick_shard(shard: int, tick_ms: int) -> int | None:
    return shards.shard_pass(shard, tick_ms)


@shared_task(name="realtime.tasks.publish_tracker_configs", ignore_result=True, time_limit=120)
def publish_tracker_configs() -> int:
    return services.tracker_configs_publish_all()
