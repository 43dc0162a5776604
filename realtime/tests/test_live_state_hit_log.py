"""The compact hit log: entries reference the visitor's record instead of carrying it, and
every logged hit still reads back with the record it had when it happened."""

import time

import pytest

from realtime import keys, live_state
from realtime.tests.traffic import IP_GB, IPHONE, Traffic


@pytest.fixture
def t(tenant):
    return Traffic(tenant.tracker.public_id, "planet.example", time.time())


def _records(t: Traffic) -> list[tuple[str, str]]:
    return [(kind, record) for _, kind, record, _, _ in live_state.hits_since(t.site, t.now - 600)]


def _live_record(t: Traffic) -> str:
    (record,) = live_state.client().hvals(keys.tracker_key(t.site, keys.VISITORS))
    return record


def test_a_current_pageview_is_logged_without_its_record_and_reads_back_with_it(t):
    t.hit(path="/a", ip=IP_GB, r="https://www.google.com/")
    record = _live_record(t)
    logged = live_state.client().get(keys.tracker_key(t.site, keys.HIT_LOG, int(t.now // 60)))
    vid = live_state.client().hkeys(keys.tracker_key(t.site, keys.VISITORS))[0]
    assert logged == keys.FIELD_SEP.join(["pv", vid, record.split(keys.FIELD_SEP)[0], "", ""]) + keys.HIT_SEP
    assert _records(t) == [("pv", record)]


def test_a_logged_pageview_keeps_its_record_after_the_visitor_expires(t):
    t.hit(path="/a", ip=IP_GB, r="https://www.google.com/")
    record = _live_record(t)
    t.now += 6 * 60
    t.snapshot()
    assert not live_state.client().exists(keys.tracker_key(t.site, keys.VISITORS))
    assert _records(t) == [("pv", record)]


def test_a_logged_pageview_keeps_its_record_when_the_visitors_record_changes(t):
    t.hit(path="/a", ip=IP_GB)
    first = _live_record(t)
    t.now += 10
    t.hit(path="/b", ip=IP_GB, v=1)  # the same visitor, now a returning one
    second = _live_record(t)
    assert first.split(keys.FIELD_SEP)[14] == "NEW" and second.split(keys.FIELD_SEP)[14] == "RETURNING"
    t.now += 10
    t.hit(path="/c", ip=IP_GB, v=1)
    assert _records(t) == [("pv", first), ("pv", second), ("pv", _live_record(t))]


def test_a_logged_pageview_keeps_its_record_when_a_left_visit_resumes_with_another(t):
    t.hit(path="/a", ua=IPHONE, r="https://www.google.com/")
    first = _live_record(t)
    t.now += 5
    t.hit(kind="lv", path="/a", ua=IPHONE)
    t.now += 5
    t.hit(path="/b", ua=IPHONE, v=1)  # resumes the visit (its source), as a returning visitor
    second = _live_record(t)
    assert first.split(keys.FIELD_SEP)[4] == second.split(keys.FIELD_SEP)[4]
    assert _records(t) == [("pv", first), ("pv", second)]
    t.now += 6 * 60
    t.snapshot()
    assert _records(t) == [("pv", first), ("pv", second)]


def test_an_event_is_logged_with_the_record_of_the_visitors_page(t):
    t.hit(path="/a", ip=IP_GB)
    record = _live_record(t)
    t.now += 1
    t.hit(kind="ev", path="/a", ip=IP_GB, c="video", x="play")
    t.now += 6 * 60
    t.snapshot()
    hits = live_state.hits_since(t.site, t.now - 600)
    assert [(kind, rec, event) for _, kind, rec, event, _ in hits] == [
        ("pv", record, ""), ("ev", record, keys.PART_SEP.join(["video", "play", ""]))]


def test_hits_read_without_records_carry_their_page_id(t):
    t.hit(path="/a", ip=IP_GB)
    record = _live_record(t)
    (hit,) = live_state.hits_since(t.site, t.now - 60, records=False)
    assert hit[2] == record.split(keys.FIELD_SEP)[0]


def test_pageviews_are_counted_by_page_and_minute_of_each_hit(t):
    minute = int(t.now // 60)
    t.hit(path="/a")
    t.hit(path="/a", ip=IP_GB)
    t.now += 60
    t.hit(path="/b")
    t.hit(kind="ev", path="/b", c="video")
    found = live_state.page_minute_pageviews(t.site, range(minute - 1, minute + 3))
    by_path = {pid: path for path, pid in ((p, _page_id(t, p)) for p in ("/a", "/b"))}
    assert {m: {by_path[pid]: n for pid, n in pages.items()} for m, pages in found.items()} == {
        minute: {"/a": 2}, minute + 1: {"/b": 1}}
    assert live_state.client().ttl(keys.tracker_key(t.site, keys.MINUTE_PAGE_VIEWS, minute)) > 0
    assert live_state.client().ttl(keys.tracker_key(t.site, keys.HIT_LOG, minute)) > 0


def _page_id(t: Traffic, path: str) -> str:
    from realtime.ingest.visitor import page_id

    return page_id(t.host, path)


@pytest.mark.parametrize("whole", [False, True], ids=["one_by_one", "whole_hashes"])
def test_visitor_refs_with_the_referenced_records_give_every_hit_the_record_hits_since_gives(t, whole, monkeypatch):
    from realtime.live_state import hit_log

    if whole:
        monkeypatch.setattr(hit_log, "_RESOLVE_ONE_BY_ONE", 0)
    t.hit(path="/a", ip=IP_GB, r="https://www.google.com/")
    t.hit(path="/a", ua=IPHONE)
    t.now += 10
    t.hit(path="/b", ip=IP_GB, v=1)  # a changed record: the earlier entry's is frozen in :hprof
    t.hit(kind="ev", path="/a", ua=IPHONE, c="video", x="play")  # carries its record
    t.hit(kind="lv", path="/a", ua=IPHONE)  # left: its record moves to :left
    t.now += 70
    t.hit(path="/c", ip="8.8.4.4")
    since = t.now - 600
    expected = sorted((int(ts // 60), kind, rec.split(keys.FIELD_SEP, 1)[1])
                      for ts, kind, rec, _, _ in live_state.hits_since(t.site, since))
    refs, inline = live_state.visitor_refs(t.site, since, ["pv", "ev"])
    ids, records = live_state.referenced_records(t.site, [vids for _, _, vids in refs])
    rest = {vid: rec.split(keys.FIELD_SEP, 1)[1] for vid, rec in zip(ids, records)}
    found = [(minute, kind, rest[vid]) for minute, kind, vids in refs for vid in vids]
    found += [(int(ts // 60), kind, rec.split(keys.FIELD_SEP, 1)[1]) for ts, kind, rec, _, _ in inline]
    assert len(expected) == 5 and inline and any(vids for _, _, vids in refs)  # both kinds of entry
    assert sorted(found) == expected


def test_referenced_records_read_whole_keep_each_visitor_with_their_own_record(t, monkeypatch):
    from realtime.live_state import hit_log

    monkeypatch.setattr(hit_log, "_RESOLVE_ONE_BY_ONE", 0)
    vis = keys.tracker_key(t.site, keys.VISITORS)
    written = {f"visitor{i:04d}": keys.FIELD_SEP.join([f"page{i}", "desktop", f"C{i}"]) for i in range(1_000)}
    live_state.client().hset(vis, mapping=written)  # past listpack size: a real hash table
    ids, records = live_state.referenced_records(t.site, [list(written)])
    assert dict(zip(ids, records)) == written and len(ids) == len(written)
