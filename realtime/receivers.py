"""Reactions to tenancy changes: keep the ingest configuration in Redis in step with the database."""

from django.dispatch import receiver

from trackers.signals import api_key_revoked, tracker_changed


@receiver(tracker_changed)
def publish_tracker_config(sender, tracker, **kwargs) -> None:
    from realtime import live_state

    live_state.tracker_config_publish(tracker)


@receiver(api_key_revoked)
def mark_api_key_revoked(sender, api_key, **kwargs) -> None:
    """Processes that remember the key for the API fast path see the mark on their next request."""
    from realtime import live_state
    from realtime.api import keycache

    keycache.forget(api_key.hashed_secret)
    live_state.api_key_mark_revoked(api_key.hashed_secret)
