"""Stored snapshots are numbered, and each carries its change from the one before (computed
once, when it is stored), whichever process built the one before."""

import json
import time

import pytest

from realtime import deltas, live_state, services, snapshot
from realtime.tests.traffic import IP_GB, Traffic

pytestmark = pytest.mark.django_db


def build(site: str, now: float):
    built = []
    services.tracker_tick(live_state.tracker_config_get(site), now, announcements=built)
    return built[0].snapshot


def test_a_first_snapshot_is_numbered_from_the_clock_and_has_no_delta(tenant):
    site = tenant.tracker.public_id
    now = time.time()
    Traffic(site, "planet.example", now).hit(path="/a")

    first = build(site, now)

    assert first.delta is None
    assert first.seq == int(now * 1000)
    assert live_state.snapshot_get(site).seq == first.seq


def test_each_later_snapshot_is_one_up_with_the_delta_from_the_one_before(tenant):
    site = tenant.tracker.public_id
    traffic = Traffic(site, "planet.example", time.time())
    traffic.hit(path="/a")
    first = build(site, traffic.now)
    traffic.now += 1
    traffic.hit(path="/b", ip=IP_GB)

    second = build(site, traffic.now)

    assert second.seq == first.seq + 1 == second.delta.seq
    assert deltas.apply(json.loads(first.realtime), json.loads(second.delta.realtime)) == json.loads(second.realtime)
    assert deltas.apply(json.loads(first.extras), json.loads(second.delta.extras)) == json.loads(second.extras)


def test_a_build_after_another_process_built_gets_its_delta_from_the_stored_snapshot(tenant):
    site = tenant.tracker.public_id
    traffic = Traffic(site, "planet.example", time.time())
    traffic.hit(path="/a")
    build(site, traffic.now)
    remembered = dict(snapshot._previous_built)
    traffic.now += 1
    traffic.hit(path="/b", ip=IP_GB)
    build(site, traffic.now)  # as another worker process would
    snapshot._previous_built.clear()
    snapshot._previous_built.update(remembered)  # this process only knows the first one
    stored = live_state.snapshot_get(site)
    traffic.now += 1
    traffic.hit(path="/c", ip="1.1.1.1")

    later = build(site, traffic.now)

    assert later.seq == stored.seq + 1
    assert deltas.apply(json.loads(stored.realtime), json.loads(later.delta.realtime)) == json.loads(later.realtime)


def test_a_snapshot_built_on_the_spot_is_number_zero_and_not_stored(tenant):
    site = tenant.tracker.public_id

    spot = snapshot.latest(site, time.time())

    assert spot.seq == 0 and spot.delta is None
    assert live_state.snapshot_get(site) is None
