"""Hits by a visitor field (browser, country, device...) project each visitor's record once
instead of rebuilding a record per logged hit: the answers equal the counts of the hits sent, and
what the per-hit reading of the log gives."""

import time
from collections import Counter

import pytest

from gacompat import engine, ga4_query, livedata, v3_query
from realtime.tests.traffic import DESKTOP_CHROME, IP_GB, IPHONE, Traffic

# (minutes before now, path, address, user agent, browser) of every pageview sent.
PAGEVIEWS = [(12, "/a", IP_GB, DESKTOP_CHROME, "Chrome"), (12, "/b", "8.8.8.8", IPHONE, "Mobile Safari"),
             (3, "/a", "8.8.4.4", DESKTOP_CHROME, "Chrome"), (3, "/b", IP_GB, DESKTOP_CHROME, "Chrome"),
             (0, "/c", "8.8.8.8", IPHONE, "Mobile Safari")]


@pytest.fixture
def site(tenant, settings):
    settings.NOWMETRIX_GA_TABLE_CACHE_SECS = 0
    now = time.time()
    t = Traffic(tenant.tracker.public_id, "planet.example", now)
    for ago, path, ip, ua, _ in PAGEVIEWS:
        t.now = now - ago * 60
        t.hit(path=path, ip=ip, ua=ua, v=1 if ago < 12 else 0)  # a returning visitor's record changes
    t.hit(kind="ev", path="/c", ip="8.8.8.8", ua=IPHONE, c="video", x="play")
    livedata.clear_cache()
    return t.site, now


def _from_log(site, now, grouping, kinds, first_ago=29, last_ago=None):
    """The same counts from the log read hit by hit, as before."""
    hits = livedata.recent_hits(site, now)
    now_minute = int(now // 60)
    if last_ago is not None:
        hits = engine.in_minutes(hits, now_minute, first_ago, last_ago)
    return livedata.fold_counts(site, engine.project_hits(hits, kinds, grouping, now_minute), grouping)


@pytest.mark.parametrize("params", [
    {"metrics": "rt:pageviews", "dimensions": "rt:browser"},
    {"metrics": "rt:pageviews", "dimensions": "rt:country,rt:deviceCategory,rt:minutesAgo"},
    {"metrics": "rt:pageviews,rt:totalEvents", "dimensions": "rt:browser", "filters": "rt:country!=GB"},
    {"metrics": "rt:totalEvents", "dimensions": "rt:visitorType"},
], ids=["browser", "country_device_minute", "filtered_with_events", "events_by_visitor_type"])
def test_v3_hits_by_visitor_fields_equal_the_per_hit_answer(site, params):
    site_id, now = site
    query = v3_query.parse(params, "ga:1")
    grouping = v3_query.grouping_for(query)
    assert engine.reads_visitor_fields(grouping)
    result = v3_query.run(query, v3_query.Context(site_id, now, 300))
    for i, kind in enumerate(query.kinds):
        expected = _from_log(site_id, now, grouping, v3_query._HIT_KINDS[kind])
        assert {tuple(row[:len(query.dims)]): row[len(query.dims) + i] for row in result.rows
                if row[len(query.dims) + i]} == {k: n for k, n in expected.items() if n}


def test_v3_pageviews_by_browser_count_every_pageview_sent(site):
    site_id, now = site
    query = v3_query.parse({"metrics": "rt:pageviews", "dimensions": "rt:browser"}, "ga:1")
    result = v3_query.run(query, v3_query.Context(site_id, now, 300))
    assert {row[0]: row[1] for row in result.rows} == Counter(browser for *_, browser in PAGEVIEWS)


def test_ga4_views_and_events_by_browser_in_minute_ranges_count_every_hit_sent(site):
    site_id, now = site
    query = ga4_query.parse({
        "dimensions": [{"name": "deviceCategory"}],
        "metrics": [{"name": "screenPageViews"}, {"name": "eventCount"}],
        "minuteRanges": [{"name": "recent", "startMinutesAgo": 5, "endMinutesAgo": 0},
                         {"name": "earlier", "startMinutesAgo": 29, "endMinutesAgo": 6}],
    }, stream_id="1", stream_name="web")
    result = ga4_query.run(query, site_id, now)
    rows = {(row[0], row[1]): (row[2], row[3]) for row in result.rows}
    assert rows == {("desktop", "recent"): (2, 2), ("mobile", "recent"): (1, 2),
                    ("desktop", "earlier"): (1, 1), ("mobile", "earlier"): (1, 1)}
