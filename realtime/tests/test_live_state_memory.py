"""Memory stays bounded: after everyone left, only dated keys with TTLs remain."""

import time

from django.conf import settings

from realtime import live_state, keys
from realtime.tests.traffic import IP_GB, Traffic


def test_after_expiry_every_remaining_key_has_a_ttl_or_is_permanent_by_design(tenant):
    t = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    t.hit(path="/a", r="https://www.google.com/")
    t.hit(path="/b", ip=IP_GB)
    t.hit(kind="ev", path="/b", ip=IP_GB, c="video", x="play")
    t.snapshot()
    t.now += 31 * 60
    t.snapshot()
    conn = live_state.client()
    site = tenant.tracker.public_id
    # The first hit's time (one per tracker, ever) is the only key of a quiet tracker without a TTL.
    allowed_without_ttl = {keys.tracker_key(site, keys.FIRST_HIT)}
    for key in conn.scan_iter(match=f"{settings.NOWMETRIX_REDIS_PREFIX}:{{t:{tenant.tracker.public_id}}}*"):
        if key in allowed_without_ttl:
            continue
        assert conn.ttl(key) > 0, key
    for suffix in (keys.ACTIVE, keys.VISITORS, keys.DEVICES, keys.PAGES, keys.COUNTRIES, keys.CITIES, keys.SOURCES):
        assert not conn.exists(keys.tracker_key(site, suffix)), suffix
