"""The live state moves exactly one count per change, and every breakdown adds up."""

import time

from realtime.tests.traffic import IP_GB, IP_US, IPAD, IPHONE, Traffic


def _traffic(tenant, now=None):
    return Traffic(tenant.tracker.public_id, "planet.example", now or time.time())


def _pages(snap):
    return {p["url"]: p["realtime_users"] for p in snap["top_pages"]}


def test_a_visitor_moving_between_pages_moves_exactly_one_count(tenant):
    t = _traffic(tenant)
    t.hit(path="/a", ip=IP_US)
    t.hit(path="/a", ip=IP_GB)
    assert _pages(t.snapshot()) == {"/a": 2}
    t.hit(path="/b", ip=IP_GB, r="https://planet.example/a")
    snap = t.snapshot()
    assert _pages(snap) == {"/a": 1, "/b": 1}
    assert snap["total_realtime"] == 2
    assert snap["total_pageviews_today"] == 3
    assert {p["url"]: p["pageviews_today"] for p in snap["top_pages"]} == {"/a": 2, "/b": 1}


def test_internal_navigation_keeps_the_visits_source(tenant):
    t = _traffic(tenant)
    t.hit(path="/a", r="https://www.google.ch/search?q=planet")
    t.hit(path="/b", r="https://planet.example/a")
    snap = t.snapshot()
    assert snap["sources_top5"] == [{"medium": "search", "source": "Google Search", "count": 1, "percent": 100,
                                     "children": [{"label": "google.ch", "count": 1}]}]
    assert snap["top_pages"][0]["sources"][0]["source"] == "Google Search"


def test_heartbeats_keep_a_visitor_active_and_their_absence_expires_them(tenant):
    start = time.time()
    t = _traffic(tenant, start)
    t.hit(path="/story")
    for step in range(1, 30):  # heartbeats every 15 s for 7 minutes: longer than the 5-minute window
        t.now = start + step * 15
        t.hit(kind="hb", path="/story")
    assert t.snapshot()["total_realtime"] == 1
    t.now += 299
    assert t.snapshot()["total_realtime"] == 1
    t.now += 2  # 301 s after the last heartbeat
    snap = t.snapshot()
    assert snap["total_realtime"] == 0
    assert snap["top_pages"] == [] and snap["countries"] == [] and snap["cities"] == [] and snap["sources_top5"] == []
    assert snap["devices"] == {"mobile": 0, "desktop": 0}
    assert snap["total_pageviews_today"] == 1  # heartbeats are not pageviews


def test_a_leave_signal_removes_the_visitor_at_once(tenant):
    t = _traffic(tenant)
    t.hit(path="/a", ip=IP_US)
    t.hit(path="/a", ip=IP_GB)
    t.hit(kind="lv", path="/a", ip=IP_US)
    snap = t.snapshot()
    assert snap["total_realtime"] == 1
    assert snap["countries"] == [{"code": "GB", "name": "United Kingdom", "count": 1}]


def test_devices_count_tablets_as_mobile_and_add_up(tenant):
    t = _traffic(tenant)
    t.hit(path="/", ua=IPHONE)
    t.hit(path="/", ua=IPAD)
    t.hit(path="/")
    snap = t.snapshot()
    assert snap["devices"] == {"mobile": 2, "desktop": 1}
    assert sum(snap["devices"].values()) == snap["total_realtime"] == 3


def test_a_heartbeat_keeps_the_page_of_the_latest_pageview(tenant):
    t = _traffic(tenant)
    t.hit(path="/a")
    t.hit(path="/b")
    t.hit(kind="hb", path="/a")  # an older tab still open
    assert _pages(t.snapshot()) == {"/b": 1}


def test_a_heartbeat_alone_revives_a_visitor_on_its_page_without_a_pageview(tenant):
    t = _traffic(tenant)
    t.hit(kind="hb", path="/long-read", t="Long read")
    snap = t.snapshot()
    assert snap["total_realtime"] == 1
    assert snap["total_pageviews_today"] == 0
    assert snap["top_pages"][0]["url"] == "/long-read"
    assert snap["top_pages"][0]["title"] == "Long read"


def test_custom_events_do_not_change_live_counts(tenant):
    t = _traffic(tenant)
    t.hit(path="/a")
    t.hit(kind="ev", path="/a", c="video", x="play", l="intro")
    snap = t.snapshot()
    assert snap["total_realtime"] == 1 and snap["total_pageviews_today"] == 1


def test_title_falls_back_to_the_path_and_og_image_is_kept(tenant):
    t = _traffic(tenant)
    t.hit(path="/untitled")
    t.hit(path="/pic", ip=IP_GB, t="Pictures", i="https://cdn.planet.example/p.jpg")
    rows = {p["url"]: p for p in t.snapshot()["top_pages"]}
    assert rows["/untitled"]["title"] == "/untitled" and rows["/untitled"]["og_image"] == ""
    assert rows["/pic"]["title"] == "Pictures" and rows["/pic"]["og_image"] == "https://cdn.planet.example/p.jpg"


def test_the_next_page_after_a_leave_signal_keeps_the_visits_source(tenant):
    """Multi-page sites send a leave on every pagehide: the next page is the same visit."""
    t = _traffic(tenant)
    t.hit(path="/a", r="https://www.google.ch/search?q=planet")
    t.hit(kind="lv", path="/a")
    assert t.snapshot()["total_realtime"] == 0
    t.now += 1
    t.hit(path="/b", r="https://planet.example/a")
    snap = t.snapshot()
    assert snap["total_realtime"] == 1
    assert [(s["medium"], s["source"]) for s in snap["sources_top5"]] == [("search", "Google Search")]


def test_a_visitor_returning_within_30_minutes_after_expiry_keeps_the_source(tenant):
    t = _traffic(tenant)
    t.hit(path="/a", r="https://www.bing.com/search?q=planet")
    t.now += 10 * 60  # expired from the 5-minute window, but the visit goes on
    assert t.snapshot()["total_realtime"] == 0
    t.hit(path="/b", r="https://planet.example/a")
    assert [s["source"] for s in t.snapshot()["sources_top5"]] == ["Bing"]


def test_after_30_minutes_without_a_hit_a_new_visit_begins(tenant):
    t = _traffic(tenant)
    t.hit(path="/a", r="https://www.bing.com/search?q=planet")
    t.hit(kind="lv", path="/a")
    t.now += 31 * 60
    t.snapshot()  # the tick forgets the ended visit
    t.hit(path="/b")
    assert [s["source"] for s in t.snapshot()["sources_top5"]] == ["(direct)"]
