"""A reader active across local midnight is one visitor, though the day's salt changed."""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from realtime import live_state
from realtime.tests.traffic import Traffic


def test_a_reader_active_across_local_midnight_is_counted_once(tenant):
    midnight = datetime(2026, 11, 24, tzinfo=ZoneInfo("Europe/Zurich")).timestamp()
    t = Traffic(tenant.tracker.public_id, "planet.example", midnight - 30)
    t.hit(path="/late-edition")
    t.now = midnight + 30
    t.hit(kind="hb", path="/late-edition")
    t.hit(path="/morning-edition")
    snap = t.snapshot()
    assert snap["total_realtime"] == 1
    assert [(p["url"], p["realtime_users"]) for p in snap["top_pages"]] == [("/morning-edition", 1)]
    assert snap["total_pageviews_today"] == 1  # "today" restarted at local midnight


def test_each_local_date_has_its_own_salt(tenant):
    first = asyncio.run(live_state.salts_aensure({"2026-11-23": None, "2026-11-24": None}))
    again = asyncio.run(live_state.salts_aensure({"2026-11-23": None}))
    assert first["2026-11-23"] != first["2026-11-24"]
    assert again["2026-11-23"] == first["2026-11-23"]
