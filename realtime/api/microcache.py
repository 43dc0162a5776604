"""Per-process microcache of each tracker's pre-serialized snapshot.

A hit serves bytes that were encoded once by the snapshot builder: no JSON work and no Redis
read. Entries live NOWMETRIX_MICROCACHE_SECS (8 s by default) from the moment they were fetched."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

from realtime import snapshot
from realtime.tracker_config import TrackerConfig
from realtime.payloads import StoredSnapshot

# The clock is a module attribute so tests can drive time instead of sleeping.
clock = time.time
_entries: dict[str, "Entry"] = {}
_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class Entry:
    """The stored snapshot plus the configuration it is served with, and when it was fetched."""

    config: TrackerConfig
    snapshot: StoredSnapshot
    fetched_at: float


def _fetch(config: TrackerConfig, now: float) -> Entry:
    return Entry(config, snapshot.latest(config.public_id, now, config), now)


def get(config: TrackerConfig, bypass: bool = False) -> tuple[Entry, bool]:
    """The tracker's snapshot entry and whether it came from the microcache."""
    now = clock()
    entry = _entries.get(config.public_id)
    if not bypass and entry is not None and now - entry.fetched_at < settings.NOWMETRIX_MICROCACHE_SECS:
        return entry, True
    entry = _fetch(config, now)
    if len(_entries) >= _MAX_ENTRIES:
        _entries.clear()
    _entries[config.public_id] = entry
    return entry, False


def peek(site: str, now: float) -> Entry | None:
    """A fresh entry without touching Redis (the ASGI fast path), or None."""
    entry = _entries.get(site)
    if entry is not None and now - entry.fetched_at < settings.NOWMETRIX_MICROCACHE_SECS:
        return entry
    return None


def clear() -> None:
    _entries.clear()
