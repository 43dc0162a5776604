"""Reads for the dashboards: the frames a page or a WebSocket starts from, and who a session is.

Consumers and views call these (consumers through `sync_to_async`); the Redis reads go through
`realtime.live_state`.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import OrderedDict
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from realtime import frames, live_state, snapshot
from realtime.ingest.visitor import local_date
from trackers import selectors as tracker_selectors


def snapshot_frame(site: str, now: float | None = None) -> str | None:
    """The dashboard's current `snapshot` frame of a tracker (see `realtime.frames`)."""
    current = numbered_snapshot_frame(site, now)
    return None if current is None else current[1]


def numbered_snapshot_frame(site: str, now: float | None = None) -> tuple[int, str] | None:
    """`(seq, snapshot frame)` of a tracker's current snapshot: what a dashboard socket sends
    first."""
    latest = snapshot.latest(site, time.time() if now is None else now)
    if latest is None:
        return None
    return latest.seq, frames.snapshot_frame(latest.realtime.decode(), latest.extras.decode(), latest.seq)


# The whole frames read for resyncs, shared by every socket of this process: when a build's
# announcement is lost or a slow network puts many dashboards behind at once, thousands of sockets
# need the same frame, and each reading and assembling its own ~230 KB copy (on Channels' one
# thread for sync code) is what would make them late again.
_RESYNC_FRAMES = 64  # trackers
_resync_frames: OrderedDict[str, tuple[int, str]] = OrderedDict()
_resync_lock = threading.Lock()


def resync_frame_cached(site: str, at_least: int) -> tuple[int, str] | None:
    """The shared whole frame of `site` if one numbered `at_least` or later was read (no I/O)."""
    cached = _resync_frames.get(site)
    return cached if cached is not None and cached[0] >= at_least else None


def resync_frame(site: str, at_least: int) -> tuple[int, str] | None:
    """`(seq, snapshot frame)` numbered `at_least` or later (when stored), for a socket that must
    start over: read once per process however many sockets ask."""
    with _resync_lock:  # the others wait for the first reader, then share what it read
        cached = resync_frame_cached(site, at_least)
        if cached is not None:
            return cached
        current = numbered_snapshot_frame(site)
        if current is not None:
            _resync_frames[site] = current
            _resync_frames.move_to_end(site)
            while len(_resync_frames) > _RESYNC_FRAMES:
                _resync_frames.popitem(last=False)
        return current


def summary_frames(sites: list[str], now: float | None = None) -> list[tuple[str, str]]:
    """`(site, summary frame)` for each tracker of the live overview whose state can be read.

    One or two round trips per tracker: the overview is account-sized and read once a connection."""
    found = []
    for site in sites:
        latest = snapshot.latest(site, time.time() if now is None else now)
        if latest is not None:
            found.append((site, frames.summary_frame(latest.summary.decode())))
    return found


def overview_trackers(user: AbstractBaseUser) -> list[tuple[str, int]]:
    """`(public id, account id)` of every tracker the user may open, across their accounts."""
    return list(tracker_selectors.tracker_list_for_user(user=user).values_list("public_id", "account_id"))


def drops_by_day(site: str, timezone: str, reasons: list[str], days: int = 7,
                 now: float | None = None) -> list[dict]:
    """Dropped-hit counters of the last `days` tracker-local days, newest first: `date`, `total`
    (every reason) and `counts` (one per reason of `reasons`, in that order). One round trip a day."""
    today = datetime.date.fromisoformat(local_date(timezone, time.time() if now is None else now))
    rows = []
    for ago in range(days):
        date = (today - datetime.timedelta(days=ago)).isoformat()
        counts = live_state.drops_get(site, date)
        rows.append({"date": date, "total": sum(counts.values()), "counts": [counts.get(r, 0) for r in reasons]})
    return rows


def session_user(session_key: str | None) -> AbstractBaseUser | AnonymousUser:
    """The user the session store holds for this key now, verified as the web admin verifies it
    (the session exists, the user is active and their password has not changed since login).

    A WebSocket's scope user is fixed at connect; this tells a long-lived socket that its login
    has ended (log out, expiry, password change, deactivation)."""
    if not session_key:
        return AnonymousUser()
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    return auth.get_user(SimpleNamespace(session=store))
