"""Single-dimension active-user queries come from the live state's incremental counters, not
from a scan of every visitor, and still leave out visitors that expiry has not removed yet."""

from __future__ import annotations

import time

import pytest

from gacompat import livedata, v3_query
from gacompat.tests.conftest import HOST, IP_CH, IP_GB, IP_US, take_site


@pytest.fixture
def traffic(ga_world, settings):
    from realtime.tests.traffic import IPHONE, Traffic

    settings.NOWMETRIX_GA_TABLE_CACHE_SECS = 0
    site = take_site(ga_world)
    now = time.time()
    t = Traffic(site.public_id, HOST, now - 400)
    t.hit("pv", "/gone", ip=IP_GB, t="Gone")  # past the 5-minute window; no tick runs here to expire it
    t.now = now
    t.hit("pv", "/a", ip=IP_US, t="Alpha")
    t.hit("pv", "/b", ip=IP_CH, ua=IPHONE, t="Beta")
    return site


def run(site, metrics, dimensions=None, filters=None):
    params = {"metrics": metrics, **({"dimensions": dimensions} if dimensions else {}),
              **({"filters": filters} if filters else {})}
    query = v3_query.parse(params, "ga:1")
    return v3_query.run(query, v3_query.Context(site.public_id, time.time(), 300)).rows


@pytest.mark.parametrize("dimension, expected", [
    ("rt:country", [["Switzerland", 1], ["United States", 1]]),
    ("rt:city", [["Mountain View", 1], ["Zurich", 1]]),
    ("rt:deviceCategory", [["DESKTOP", 1], ["MOBILE", 1]]),
    ("rt:pageTitle", [["Alpha", 1], ["Beta", 1]]),
    ("rt:trafficType", [["DIRECT", 2]]),
    (None, [[2]]),
])
def test_single_dimension_queries_do_not_scan_visitors(traffic, monkeypatch, dimension, expected):
    def no_scan(*args, **kwargs):
        raise AssertionError("scanned every visitor")

    monkeypatch.setattr(livedata, "active_visitors", no_scan)
    assert run(traffic, "rt:activeUsers", dimension) == expected


def test_the_counter_and_the_scan_agree(traffic):
    assert run(traffic, "rt:activeUsers", "rt:pagePath") == run(traffic, "rt:activeUsers", "rt:pagePath",
                                                                 filters="rt:pagePath!=/nowhere")


def test_pageviews_by_minute_come_from_the_minute_series(traffic, monkeypatch):
    monkeypatch.setattr(livedata, "recent_hits", lambda *a: (_ for _ in ()).throw(AssertionError("read the log")))
    rows = run(traffic, "rt:pageviews", "rt:minutesAgo")
    assert sum(r[1] for r in rows) == 3
