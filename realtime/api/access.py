"""Which tracker a request may read: resolved from Redis (the tracker's published
configuration), checked against the API key's account and grants."""

from __future__ import annotations

from trackers import selectors
from trackers.api_errors import SiteNotAuthorized, SiteRequired
from trackers.models import ApiKey

from realtime import live_state
from realtime.live_state import TrackerConfig


def site_param(request) -> str:
    site = (request.query_params.get("site") or "").strip()
    if not site:
        raise SiteRequired()
    return site


def _config(api_key: ApiKey, site: str) -> TrackerConfig | None:
    config = live_state.tracker_config_get(site)
    if config is None:
        # Not in Redis (a restarted Redis before the minute's republish): heal from the
        # database, scoped to the key's account.
        tracker = selectors.tracker_list(account=api_key.account).filter(public_id=site).first()
        if tracker is not None:
            live_state.tracker_config_publish(tracker)
            config = live_state.tracker_config_get(site)
    return config


def readable_tracker(api_key: ApiKey, site: str) -> TrackerConfig:
    """The tracker's configuration if this key may read it. Unknown trackers and other
    accounts' trackers answer the same 403, so IDs cannot be probed."""
    config = _config(api_key, site)
    if config is None or config.account_id != api_key.account_id:
        raise SiteNotAuthorized()
    if not api_key.all_trackers and not selectors.api_key_trackers(api_key=api_key).filter(public_id=site).exists():
        raise SiteNotAuthorized()
    return config
