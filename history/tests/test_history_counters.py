"""ingest.lua's history counters: their lifetimes (long enough for a stopped rollup worker to
catch up). The Lua scripts take the slot length and TTL from the header generated from
realtime/keys.py (see realtime/tests/test_key_schema.py)."""

from history import slots
from history.tests.drive import at, site_with_zone
from realtime import keys, live_state


def test_slot_and_visit_counters_expire_after_days_not_minutes(tenant):
    site = site_with_zone(tenant, "Europe/Zurich")
    when = at("Europe/Zurich", 2026, 11, 20, 9, 0)
    site.hit(when, 1, "/a")
    site_id = tenant.tracker.public_id
    conn = live_state.client()
    for key in (keys.tracker_key(site_id, keys.HISTORY_SLOT, slots.slot_of(when)),
                keys.tracker_key(site_id, keys.DAY_PAGE_VISITS, "2026-11-20")):
        assert keys.HISTORY_KEY_TTL_SECS - 60 < conn.ttl(key) <= keys.HISTORY_KEY_TTL_SECS, key


def test_a_visit_that_begins_with_a_heartbeat_is_counted_once(tenant):
    site = site_with_zone(tenant, "Europe/Zurich")
    site.hit(at("Europe/Zurich", 2026, 11, 20, 9, 0), 1, "/a", kind="hb")  # e.g. a tab open across a restart
    site.hit(at("Europe/Zurich", 2026, 11, 20, 9, 1), 1, "/b")
    slot = slots.slot_of(at("Europe/Zurich", 2026, 11, 20, 9, 0))
    assert live_state.client().hgetall(keys.tracker_key(tenant.tracker.public_id, keys.HISTORY_SLOT, slot)) == {"pv": "1", "vi": "1"}
