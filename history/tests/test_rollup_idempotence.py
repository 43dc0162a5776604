"""Running the rollup twice, two at once, or again after a crash never changes the counts."""

from datetime import date

import pytest

from history import writes
from history.rollup import history_rollup, rollup_trackers
from history.tests.drive import Site, at, dump, site_with_zone
from realtime import live_state
from trackers import services

TZ = "Europe/Zurich"
NOW = at(TZ, 2026, 11, 20, 12, 0)


def drive(site, visitors=range(1, 4)):
    for v in visitors:
        site.hit(at(TZ, 2026, 11, 20, 10, v), v, f"/story-{v % 2}")
        site.hit(at(TZ, 2026, 11, 20, 10, 20 + v), v, "/front")  # 20 minutes on: the same visit


def test_a_rollup_run_twice_gives_the_same_numbers(tenant):
    site = site_with_zone(tenant, TZ)
    drive(site)
    history_rollup(now=NOW)
    first = dump(tenant.tracker)
    history_rollup(now=NOW + 60)
    assert dump(tenant.tracker) == first
    assert first["days"][0][1:3] == (6, 3)


def test_two_rollups_interleaved_count_once(tenant, monkeypatch):
    """The second run reads and writes between the first one's read and its write."""
    site = site_with_zone(tenant, TZ)
    drive(site)
    write = writes.write_chunk
    nested = []

    def write_after_another_run(*args, **kwargs):
        if not nested:
            nested.append(1)
            rollup_trackers(NOW)
        write(*args, **kwargs)

    monkeypatch.setattr(writes, "write_chunk", write_after_another_run)
    rollup_trackers(NOW)
    monkeypatch.setattr(writes, "write_chunk", write)
    together = dump(tenant.tracker)
    history_rollup(now=NOW)
    assert dump(tenant.tracker) == together
    assert together["days"][0][1:3] == (6, 3)


def test_a_second_worker_skips_while_one_holds_the_lock(tenant):
    site = site_with_zone(tenant, TZ)
    drive(site)
    token = live_state.history_lock_acquire()
    try:
        assert history_rollup(now=NOW).skipped
        assert dump(tenant.tracker)["days"] == []
    finally:
        live_state.history_lock_release(token)
    assert not history_rollup(now=NOW).skipped
    assert dump(tenant.tracker)["days"][0][1] == 6


def test_a_worker_killed_in_the_middle_of_a_rollup_loses_nothing(tenant, monkeypatch):
    site = site_with_zone(tenant, TZ)
    second = Site(services.tracker_create(account=tenant.account, name="Sport", hosts=["sport.example"],
                                          timezone_name=TZ), "sport.example")
    drive(site)
    drive(second, range(1, 6))
    def killed_after_the_slot_rows(*args):
        raise SystemExit("worker killed")

    monkeypatch.setattr(writes, "_write_days", killed_after_the_slot_rows)
    with pytest.raises(SystemExit):
        history_rollup(now=NOW)
    monkeypatch.undo()
    drive(second, range(6, 8))  # traffic goes on while the worker is down
    history_rollup(now=NOW + 600)
    assert dump(tenant.tracker)["days"][0][1:3] == (6, 3)
    assert dump(second.tracker)["days"][0][1:3] == (14, 7)


def test_a_worker_stopped_for_hours_catches_up(tenant):
    site = site_with_zone(tenant, TZ)
    site.hit(at(TZ, 2026, 11, 20, 8, 0), 1, "/early")
    history_rollup(now=at(TZ, 2026, 11, 20, 8, 1))
    for hour in range(9, 14):  # the worker is stopped from 8:01 to 14:00
        site.hit(at(TZ, 2026, 11, 20, hour, 0), hour, f"/hour-{hour}")
    history_rollup(now=at(TZ, 2026, 11, 20, 14, 0))
    rows = dump(tenant.tracker)
    assert [(pv, vi) for _s, _d, pv, vi in rows["slots"]] == [(1, 1)] * 6
    assert rows["days"][0][1:4] == (6, 6, 6)


def test_a_worker_stopped_across_local_midnight_closes_both_days_on_restart(tenant):
    site = site_with_zone(tenant, "America/New_York")
    ny = "America/New_York"
    site.hit(at(ny, 2026, 11, 20, 23, 0), 1, "/evening")
    history_rollup(now=at(ny, 2026, 11, 20, 23, 1))
    site.hit(at(ny, 2026, 11, 20, 23, 50), 2, "/late")  # the worker is stopped from 23:01 to 02:00
    site.hit(at(ny, 2026, 11, 21, 0, 10), 3, "/night")
    site.hit(at(ny, 2026, 11, 21, 1, 30), 4, "/night")
    history_rollup(now=at(ny, 2026, 11, 21, 2, 0))
    assert [row[:3] for row in dump(tenant.tracker)["days"]] == [
        (date(2026, 11, 20), 2, 2), (date(2026, 11, 21), 2, 2)]
