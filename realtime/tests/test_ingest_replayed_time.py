"""A hit written late (replayed after an outage, or held by another process) keeps its own
time: its pageview lands on its own minute, it never moves a visitor's last-seen back, and a
visitor quiet for longer than the live window is not revived."""

import asyncio
import json

from realtime import keys, live_state
from realtime.ingest.hits import Client
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.payload import parse_beacon
from realtime.tests.faults import Clock
from realtime.tests.traffic import DESKTOP_CHROME, IP_GB, IP_US, Traffic


def _accept(ingestor, site, path, ip, kind="pv"):
    body = json.dumps({"s": site, "e": kind, "u": f"https://planet.example{path}"}).encode()
    assert ingestor.accept_nowait(parse_beacon(body), Client(ip, DESKTOP_CHROME, False)) is None


def _minutes(site):
    return {int(m): int(n) for m, n in live_state.client().hgetall(keys.tracker_key(site, keys.MINUTE_PAGEVIEWS)).items()}


def test_a_late_hit_counts_on_its_own_minute_without_reviving_a_quiet_visitor(tenant):
    site = tenant.tracker.public_id
    clock = Clock()
    late = Ingestor(clock=clock, config_ttl_secs=0)
    sent_at = clock.now
    _accept(late, site, "/night-edition", IP_US)
    clock.now += 600  # written ten minutes later: past the five-minute window
    asyncio.run(late.flush())
    snap = Traffic(site, "planet.example", clock.now).snapshot()
    assert snap["total_pageviews_today"] == 1
    assert snap["total_realtime"] == 0
    assert _minutes(site) == {int(sent_at // 60): 1}


def test_a_late_pageview_never_moves_a_visitor_back_to_an_earlier_page(tenant):
    site = tenant.tracker.public_id
    clock = Clock()
    late = Ingestor(clock=clock, config_ttl_secs=0)
    _accept(late, site, "/first", IP_GB)  # held by a process that writes it late
    clock.now += 30
    t = Traffic(site, "planet.example", clock.now)
    t.hit(path="/second", ip=IP_GB)
    clock.now += 5
    asyncio.run(late.flush())
    t.now = clock.now
    snap = t.snapshot()
    assert snap["total_pageviews_today"] == 2
    assert snap["total_realtime"] == 1
    assert [(p["url"], p["realtime_users"]) for p in snap["top_pages"]] == [("/second", 1)]
    visitors, _records = live_state.active_since(site, 0, with_records=False)
    assert list(visitors.values()) == [clock.now - 5]  # last seen at the later pageview
