"""Which tracker a request may read: resolved from Redis (the tracker's published
configuration), checked against the API key's grant (trackers.grants.Grant.may_read)."""

from __future__ import annotations

from trackers import selectors
from trackers.grants import Grant
from trackers.keys import tracker_public_id_is_well_formed
from realtime.api.errors import SiteNotAuthorized, SiteRequired

from realtime import live_state
from realtime.tracker_config import TrackerConfig


def site_param(request) -> str:
    site = (request.query_params.get("site") or "").strip()
    if not site:
        raise SiteRequired()
    return site


def _config(grant: Grant, site: str) -> TrackerConfig | None:
    config = live_state.tracker_config_get(site)
    if config is None and tracker_public_id_is_well_formed(site):
        # Not in Redis (a restarted Redis before the minute's republish): heal from the
        # database, scoped to the key's account.
        tracker = selectors.tracker_list(account=grant.account_id).filter(public_id=site).first()
        if tracker is not None:
            live_state.tracker_config_publish(tracker)
            config = live_state.tracker_config_get(site)
    return config


def readable_tracker(grant: Grant, site: str) -> TrackerConfig:
    """The tracker's configuration if this key may read it. Unknown trackers and other
    accounts' trackers answer the same 403, so IDs cannot be probed."""
    config = _config(grant, site)
    if config is None or not grant.may_read(config):
        raise SiteNotAuthorized()
    return config
