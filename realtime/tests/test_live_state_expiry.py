"""Bulk expiry removes exactly the departed visitors from every counter."""

import time
from collections import Counter

from realtime.tests.traffic import DESKTOP_CHROME, IPHONE, Traffic

PATHS = ["/", "/politics", "/sport"]
REFERRERS = ["", "https://www.google.com/", "https://news.example.org/x"]


def _visit(t, n, group):
    ip = f"81.2.69.{n + 1}" if group == "early" else f"8.8.{n // 200}.{n % 200 + 1}"
    ua = IPHONE if n % 3 == 0 else DESKTOP_CHROME
    t.hit(path=PATHS[n % 3], ip=ip, ua=ua, r=REFERRERS[n % 3 - 1 if group == "late" else n % 3])
    return PATHS[n % 3], ua


def test_expiring_many_visitors_at_once_updates_every_count_exactly(tenant):
    start = time.time()
    t = Traffic(tenant.tracker.public_id, "planet.example", start)
    for n in range(60):
        _visit(t, n, "early")
    t.now = start + 200
    late = [_visit(t, n, "late") for n in range(45)]
    t.now = start + 301  # the early group is past the 5-minute window, the late one is not
    snap = t.snapshot()
    assert snap["total_realtime"] == 45
    assert {p["url"]: p["realtime_users"] for p in snap["top_pages"]} == dict(Counter(p for p, _ in late))
    assert snap["devices"] == {"mobile": sum(ua == IPHONE for _, ua in late),
                               "desktop": sum(ua == DESKTOP_CHROME for _, ua in late)}
    assert snap["countries"] == [{"code": "US", "name": "United States", "count": 45}]
    assert sum(s["count"] for s in snap["sources_top5"]) == 45
    for page in snap["top_pages"]:
        assert sum(s["count"] for s in page["sources"]) == page["realtime_users"]
    t.now = start + 501
    snap = t.snapshot()
    assert snap["total_realtime"] == 0 and snap["top_pages"] == [] and snap["sources_top5"] == []
