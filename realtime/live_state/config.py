"""Tracker configuration for ingest (published from the database, read instead of it) and the
daily salts of visitor ids."""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timezone

from realtime import keys
from realtime.live_state.clients import aclient, client
from realtime.tracker_config import TrackerConfig


def _config_mapping(tracker) -> dict[str, str]:
    return {
        "active": "1" if tracker.is_active else "0",
        "hosts": ",".join(tracker.hosts),
        "tz": tracker.timezone,
        "window": str(tracker.live_window_minutes * 60),
        "dnt": "1" if tracker.honour_dnt else "0",
        "public": "1" if tracker.public_counter else "0",
        "account": str(tracker.account_id),
        "view": str(tracker.pk),
    }


def tracker_config_publish(tracker) -> None:
    """Write the tracker's ingest configuration (called on save and every minute), then move
    the configuration generation, so that every ingest process reloads it within a second.
    Two round trips: the generation lives on another Cluster slot than the tracker."""
    key = keys.tracker_config(tracker.public_id)
    pipe = client().pipeline(transaction=True)
    pipe.delete(key)
    pipe.hset(key, mapping=_config_mapping(tracker))
    pipe.expire(key, keys.CONFIG_TTL_SECS)
    pipe.execute()
    client().incr(keys.config_generation())


def tracker_config_get(public_id: str) -> TrackerConfig | None:
    return TrackerConfig.from_hash(public_id, client().hgetall(keys.tracker_config(public_id)))


async def tracker_configs_aget(public_ids: list[str]) -> dict[str, TrackerConfig | None]:
    """The configurations of several trackers in one round trip (None: not published)."""
    pipe = aclient().pipeline(transaction=False)
    for public_id in public_ids:
        pipe.hgetall(keys.tracker_config(public_id))
    found = await pipe.execute()
    return {public_id: TrackerConfig.from_hash(public_id, raw) for public_id, raw in zip(public_ids, found)}


async def config_generation_aget() -> str | None:
    """The configuration generation (None: never published to this Redis)."""
    return await aclient().get(keys.config_generation())


async def salts_aensure(known: dict[str, str | None]) -> dict[str, str]:
    """The salts of several local dates in one round trip, created ahead of the dates (so that
    ingest crosses midnight without Redis). A salt this process already knows is written back if
    Redis lost it (an empty restart), so that every process keeps agreeing on visitor ids."""
    pipe = aclient().pipeline(transaction=False)
    for local_date, salt in known.items():
        key = keys.salt(local_date)
        pipe.set(key, salt or secrets.token_hex(32), nx=True, exat=_salt_expires_at(local_date))
        pipe.get(key)
    found = await pipe.execute()
    return dict(zip(known, found[1::2]))


def _salt_expires_at(local_date: str) -> int:
    """When a date has ended in every time zone (UTC-12 is the last), plus an hour; at least an
    hour from now, for a late replay."""
    day = datetime.fromisoformat(local_date).replace(tzinfo=timezone.utc).timestamp()
    return int(max(day + 86400 + 13 * 3600, time.time() + 3600))
