"""A tracker created or changed anywhere reaches a running ingest process at its next check of
the configuration generation (once a second; every flush here), and a tracker it knows keeps
its last settings when Redis loses them."""

import asyncio
import json

from realtime import keys, live_state
from realtime.ingest.hits import Client
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.payload import parse_beacon
from realtime.ingest.visitor import local_date
from realtime.tests.faults import Clock
from realtime.tests.traffic import DESKTOP_CHROME, IP_US
from trackers import services


def _hit(ingestor, site, host):
    body = json.dumps({"s": site, "e": "pv", "u": f"https://{host}/"}).encode()
    ingestor.accept_nowait(parse_beacon(body), Client(IP_US, DESKTOP_CHROME, False))
    asyncio.run(ingestor.flush())


def _pageviews(tracker, now):
    date = local_date(tracker.timezone, now)
    return int(live_state.client().get(keys.tracker_key(tracker.public_id, keys.DAY_PAGEVIEWS_TOTAL, date)) or 0)


def test_a_host_added_to_a_tracker_is_accepted_by_a_running_ingest(tenant):
    clock = Clock()
    ingestor = Ingestor(clock=clock, config_ttl_secs=0)
    _hit(ingestor, tenant.tracker.public_id, "planet-news.example")  # not an allowed host yet
    assert _pageviews(tenant.tracker, clock.now) == 0
    services.tracker_update(tracker=tenant.tracker, hosts=["planet.example", "planet-news.example"])
    _hit(ingestor, tenant.tracker.public_id, "planet-news.example")
    assert _pageviews(tenant.tracker, clock.now) == 1


def test_a_tracker_created_after_its_first_hit_was_judged_unknown_counts_the_next(tenant):
    clock = Clock()
    ingestor = Ingestor(clock=clock, config_ttl_secs=0)
    newcomer = services.tracker_create(account=tenant.account, name="Later", hosts=["later.example"])
    live_state.client().delete(keys.tracker_config(newcomer.public_id))  # as if not yet published
    _hit(ingestor, newcomer.public_id, "later.example")
    assert ingestor.known.is_unknown(newcomer.public_id)
    services.tracker_update(tracker=newcomer, name="Later edition")  # published, generation moves
    _hit(ingestor, newcomer.public_id, "later.example")
    assert _pageviews(newcomer, clock.now) == 1


def test_a_known_tracker_keeps_its_settings_when_redis_loses_them(tenant):
    clock = Clock()
    ingestor = Ingestor(clock=clock, config_ttl_secs=0)
    _hit(ingestor, tenant.tracker.public_id, "planet.example")
    live_state.client().delete(keys.tracker_config(tenant.tracker.public_id))
    live_state.client().incr(keys.config_generation())  # another tracker changed meanwhile
    _hit(ingestor, tenant.tracker.public_id, "planet.example")
    assert _pageviews(tenant.tracker, clock.now) == 2

