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
    base = keys.tracker_base(tenant.tracker.public_id)
    # `:first` (one per tracker, ever) is the only key of a quiet tracker without a TTL.
    allowed_without_ttl = {f"{base}:first"}
    for key in conn.scan_iter(match=f"{settings.NOWMETRIX_REDIS_PREFIX}:{{t:{tenant.tracker.public_id}}}*"):
        if key in allowed_without_ttl:
            continue
        assert conn.ttl(key) > 0, key
    for suffix in ("act", "vis", "dev", "pg", "cc", "city", "src"):
        assert not conn.exists(f"{base}:{suffix}"), suffix
