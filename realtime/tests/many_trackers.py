"""Many trackers with a few visitors each, written straight through the real ingest Lua (no
database, no HTTP): the load of the sharded-tick tests. Each visitor sends one pageview."""

from __future__ import annotations

import time
from types import SimpleNamespace

from realtime import live_state
from realtime.ingest.record import Record, join_parts
from realtime.ingest.visitor import local_date, page_id
from realtime.keys import PART_SEP
from realtime.live_state import TrackerBatch

HOST = "many.example"
BATCHES_PER_CALL = 500


def publish(sites: list[str], account_id: int = 1) -> None:
    """Publish each tracker's settings to Redis, as saving it in the admin does."""
    for n, site in enumerate(sites):
        live_state.tracker_config_publish(SimpleNamespace(
            public_id=site, is_active=True, hosts=[HOST], timezone="UTC", live_window_minutes=5, honour_dnt=True,
            public_counter=False, account_id=account_id, pk=n + 1))
    live_state.configs_published_mark()


def _pageview(site: str, visitor: int, path: str) -> tuple[str, ...]:
    pid = page_id(HOST, path)
    record = Record(page_id=pid, device="desktop", country=join_parts("CH", "Switzerland"),
                    city=join_parts("CH", "Zurich"), source=join_parts("(none)", "(direct)", ""), browser="Chrome",
                    browser_version="130.0.0", os="Windows", os_version="10", brand="", model="", region="Zurich",
                    latitude="47.37", longitude="8.54", user_type="NEW")
    meta = PART_SEP.join((HOST, path, f"Page {path}", "", "", ""))
    return ("pv", f"v{visitor}", "", pid, meta, record.pack(), "")


def pageviews(sites: list[str], per_tracker: int, now: float | None = None, first_visitor: int = 0) -> None:
    """`per_tracker` new visitors' pageviews on every tracker, at `now`."""
    now = time.time() if now is None else now
    date = local_date("UTC", now)
    batches = []
    for site in sites:
        batch = TrackerBatch(site, 300)
        for v in range(first_visitor, first_visitor + per_tracker):
            batch.add(now, date, _pageview(site, v, f"/story-{v % 3}"))
        batches.append(batch)
        if len(batches) == BATCHES_PER_CALL:
            live_state.ingest_apply(batches, now=now)
            batches = []
    if batches:
        live_state.ingest_apply(batches, now=now)
