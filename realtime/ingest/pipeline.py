"""Every decision about one hit, as a list of steps: each `drop_*` step names the reason it drops
a hit for, or lets it through; a hit that passes them all is enriched into its record.

Pure: no Redis, no database, no clock. The caller (`judge`, the `Ingestor`) passes the tracker's
known settings and the request's client, and only caches, batches and writes what comes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from realtime.drops import DropReason
from realtime.ingest import useragent
from realtime.ingest.hits import Client, build_record
from realtime.ingest.payload import RawHit
from realtime.ingest.record import Record
from realtime.tracker_config import TrackerConfig
from trackers.keys import tracker_public_id_is_well_formed


@dataclass(frozen=True, slots=True)
class Dropped:
    reason: DropReason


@dataclass(frozen=True, slots=True)
class Accepted:
    record: Record


Step = Callable[[RawHit | None, TrackerConfig | None, Client | None], DropReason | None]


def drop_malformed(hit, config, client) -> DropReason | None:
    """No hit could be read from the request (bad payload, body too large)."""
    return DropReason.MALFORMED if hit is None else None


# The few tracker ids of an installation repeat on every hit (bounded: junk ids only evict).
_well_formed = lru_cache(maxsize=4096)(tracker_public_id_is_well_formed)


def drop_ill_formed_tracker(hit, config, client) -> DropReason | None:
    """A tracker id no tracker can have: dropped at the door, before any settings are looked up."""
    return None if _well_formed(hit.site) else DropReason.UNKNOWN_TRACKER


def drop_unknown_tracker(hit, config, client) -> DropReason | None:
    return DropReason.UNKNOWN_TRACKER if config is None else None


def drop_inactive_tracker(hit, config, client) -> DropReason | None:
    return None if config.active else DropReason.INACTIVE_TRACKER


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    return host in allowed or (host.startswith("www.") and host[4:] in allowed)


def drop_disallowed_host(hit, config, client) -> DropReason | None:
    return None if host_allowed(hit.host, config.hosts) else DropReason.DISALLOWED_HOST


def drop_do_not_track(hit, config, client) -> DropReason | None:
    """DNT or Sec-GPC header, or the snippet's own flag, when the tracker honours them."""
    return DropReason.DO_NOT_TRACK if config.honour_dnt and (client.dnt or hit.dnt) else None


def drop_bot(hit, config, client) -> DropReason | None:
    return DropReason.BOT if useragent.parse_user_agent(client.user_agent).is_bot else None


# Decided when the request arrives, without the tracker's settings (the request path).
DOOR_STEPS: tuple[Step, ...] = (drop_malformed, drop_ill_formed_tracker)
# Decided by the flusher, with the tracker's settings.
TRACKER_STEPS: tuple[Step, ...] = (drop_unknown_tracker, drop_inactive_tracker, drop_disallowed_host,
                                   drop_do_not_track, drop_bot)
ALL_STEPS = DOOR_STEPS + TRACKER_STEPS


def _first_drop(steps: tuple[Step, ...], hit, config, client) -> Dropped | None:
    for step in steps:
        reason = step(hit, config, client)
        if reason is not None:
            return Dropped(reason)
    return None


def at_the_door(hit: RawHit | None) -> Dropped | None:
    """The door steps alone: what the request path may drop at once (a None hit: malformed)."""
    return _first_drop(DOOR_STEPS, hit, None, None)


def classify(hit: RawHit | None, config: TrackerConfig | None, client: Client | None) -> Dropped | Accepted:
    """Every step, in order; the record of a hit that passes them all."""
    dropped = _first_drop(ALL_STEPS, hit, config, client)
    return dropped or Accepted(build_record(hit, config, client))
