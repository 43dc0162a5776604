"""Celery tasks: thin, idempotent, time-limited; each calls one service."""

from celery import shared_task

from realtime import services


@shared_task(name="realtime.tasks.tick", ignore_result=True, time_limit=20, soft_time_limit=15)
def tick() -> int:
    return services.tick()


@shared_task(name="realtime.tasks.publish_tracker_configs", ignore_result=True, time_limit=120)
def publish_tracker_configs() -> int:
    return services.tracker_configs_publish_all()
