"""Signals trackers sends so that other apps can react without trackers importing them."""

from django.dispatch import Signal

# Sent after a tracker's settings were saved (created, edited, deactivated); kwargs: tracker.
# The live pipeline republishes the tracker's ingest configuration to Redis on it.
tracker_changed = Signal()

# Sent after an API key was revoked; kwargs: api_key.
api_key_revoked = Signal()

# Sent when what members may open changed (added, role or trackers changed, removed); kwargs:
# user_ids. Sent inside the service's transaction: receivers that tell open dashboards act on
# commit (a rolled-back change must close nothing).
member_access_changed = Signal()
