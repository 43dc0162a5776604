"""Per-process microcache of history responses: 60 seconds per full (normalized) query."""

from __future__ import annotations

import time
from typing import Callable

MICROCACHE_SECS = 60  # the contract's freshness of /v1/overview, /v1/recap and /v1/pace
_MAX_ENTRIES = 10_000
clock = time.time  # a module attribute, so tests drive time
_entries: dict[tuple, tuple[float, bytes]] = {}


def get_or_build(key: tuple, build: Callable[[], bytes]) -> tuple[bytes, bool]:
    """The cached body for `key` and True, or a freshly built one and False."""
    now = clock()
    found = _entries.get(key)
    if found is not None and now - found[0] < MICROCACHE_SECS:
        return found[1], True
    body = build()
    if len(_entries) >= _MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (now, body)
    return body, False


def clear() -> None:
    _entries.clear()
