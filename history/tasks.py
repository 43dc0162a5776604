"""Thin Celery tasks of the history app (schedule in nowmetrix/celery.py)."""

from celery import shared_task

from history import rollup


@shared_task(expires=50, soft_time_limit=50, time_limit=55)
def rollup_history() -> int:
    """Roll up every tracker's counters; returns the number of trackers (0 when another
    worker held the lock)."""
    return rollup.history_rollup().trackers


@shared_task(expires=3600, time_limit=600)
def apply_history_retention() -> int:
    return rollup.retention_apply()
