"""ingest.lua's history counters: the constants common.lua repeats from realtime/keys.py, and
the counters' lifetimes (long enough for a stopped rollup worker to catch up)."""

import re
from pathlib import Path

from history import slots
from history.tests.drive import at, site_with_zone
from realtime import keys, live_state

COMMON = (Path(keys.__file__).parent / "lua" / "common.lua").read_text()


def test_the_lua_slot_length_and_ttl_match_the_key_schema():
    found = dict(re.findall(r"local (HISTORY_\w+) = (\d+)", COMMON))
    assert int(found["HISTORY_SLOT_SECS"]) == keys.HISTORY_SLOT_SECS
    assert int(found["HISTORY_KEY_TTL_SECS"]) == keys.HISTORY_KEY_TTL_SECS


def test_slot_and_visit_counters_expire_after_days_not_minutes(tenant):
    site = site_with_zone(tenant, "Europe/Zurich")
    when = at("Europe/Zurich", 2026, 11, 20, 9, 0)
    site.hit(when, 1, "/a")
    base = keys.tracker_base(tenant.tracker.public_id)
    conn = live_state.client()
    for key in (f"{base}:hs:{slots.slot_of(when)}", f"{base}:pvi:2026-11-20"):
        assert keys.HISTORY_KEY_TTL_SECS - 60 < conn.ttl(key) <= keys.HISTORY_KEY_TTL_SECS, key


def test_a_visit_that_begins_with_a_heartbeat_is_counted_once(tenant):
    site = site_with_zone(tenant, "Europe/Zurich")
    site.hit(at("Europe/Zurich", 2026, 11, 20, 9, 0), 1, "/a", kind="hb")  # e.g. a tab open across a restart
    site.hit(at("Europe/Zurich", 2026, 11, 20, 9, 1), 1, "/b")
    base = keys.tracker_base(tenant.tracker.public_id)
    slot = slots.slot_of(at("Europe/Zurich", 2026, 11, 20, 9, 0))
    assert live_state.client().hgetall(f"{base}:hs:{slot}") == {"pv": "1", "vi": "1"}
