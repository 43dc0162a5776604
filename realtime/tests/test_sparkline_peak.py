"""The sparkline's active-users series keeps each minute's peak, not its last value, so the
legend's "peak" is the real peak."""

import json

from realtime import live_state, services
from realtime.tests.traffic import IP_GB, IP_US, Traffic

IP_CH = "92.104.0.1"


def _series(site: str) -> list[int]:
    return json.loads(live_state.snapshot_get(site).extras)["series"]["active_users"]


def test_a_minute_keeps_its_peak_after_visitors_leave(tenant):
    site = tenant.tracker.public_id
    minute_start = (int(live_state.client().time()[0]) // 60 + 1) * 60  # a minute of its own
    t = Traffic(site, "planet.example", minute_start + 5)
    for ip in (IP_US, IP_GB, IP_CH):
        t.hit(path="/a", ip=ip)
    assert t.snapshot()["total_realtime"] == 3

    t.now = minute_start + 20
    for ip in (IP_GB, IP_CH):
        t.hit(kind="lv", path="/a", ip=ip)
    assert t.snapshot()["total_realtime"] == 1
    assert _series(site)[-1] == 3  # this minute's peak, though one visitor is left

    t.now = minute_start + 65  # the next minute: its own peak, the last minute keeps 3
    services.tracker_tick(live_state.tracker_config_get(site), t.now, announce=False)
    assert _series(site)[-2:] == [3, 1]
