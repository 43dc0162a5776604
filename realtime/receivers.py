"""Reactions to tenancy changes: keep the ingest configuration in Redis in step with the database."""

from django.dispatch import receiver

from trackers.signals import tracker_changed


@receiver(tracker_changed)
def publish_tracker_config(sender, tracker, **kwargs) -> None:
    from realtime import live_state

    live_state.tracker_config_publish(tracker)
