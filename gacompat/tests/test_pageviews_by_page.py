"""Pageviews by page and minute come from the per-minute page counts, not the hit log: the
answers equal the counts of the pageviews sent, and what the log itself gives."""

import time
from collections import Counter

import pytest

from gacompat import engine, ga4_query, livedata, v3_query
from realtime.tests.traffic import IP_GB, IPHONE, Traffic

# (minutes before now, path, visitor's address) of every pageview sent, and one event.
PAGEVIEWS = [(12, "/a", IP_GB), (12, "/b", "8.8.8.8"), (3, "/a", "8.8.4.4"), (3, "/a", IP_GB), (0, "/c", "8.8.8.8")]


@pytest.fixture
def site(tenant, settings):
    settings.NOWMETRIX_GA_TABLE_CACHE_SECS = 0
    now = time.time()
    t = Traffic(tenant.tracker.public_id, "planet.example", now)
    for ago, path, ip in PAGEVIEWS:
        t.now = now - ago * 60
        t.hit(path=path, ip=ip)
    t.hit(kind="ev", path="/c", ip="8.8.8.8", ua=IPHONE, c="video", x="play")
    livedata.clear_cache()
    return t.site, now


def _v3(site, now, params):
    query = v3_query.parse(params, "ga:1")
    return v3_query.run(query, v3_query.Context(site, now, 300)), query


def _from_log(site, now, query):
    """The same rows computed from the hit log, as before the page counts existed."""
    grouping = v3_query.grouping_for(query)
    hits = livedata.recent_hits(site, now)
    return livedata.fold_counts(site, engine.project_hits(hits, frozenset({"pv"}), grouping, int(now // 60)), grouping)


def test_v3_pageviews_by_path_and_minute_count_every_pageview_sent(site):
    site_id, now = site
    result, query = _v3(site_id, now, {"metrics": "rt:pageviews", "dimensions": "rt:pagePath,rt:minutesAgo"})
    expected = Counter((path, "%02d" % (int(now // 60) - int((now - ago * 60) // 60))) for ago, path, _ in PAGEVIEWS)
    assert {(row[0], row[1]): row[2] for row in result.rows} == expected
    assert {key: n for key, n in _from_log(site_id, now, query).items()} == expected


def test_v3_pageviews_by_title_with_a_path_filter_equal_the_logs_answer(site):
    site_id, now = site
    result, query = _v3(site_id, now, {"metrics": "rt:pageviews", "dimensions": "rt:pageTitle",
                                       "filters": "rt:pagePath!=/b"})
    assert sum(row[-1] for row in result.rows) == 4
    assert {tuple(row[:-1]): row[-1] for row in result.rows} == _from_log(site_id, now, query)


def test_ga4_screen_page_views_by_screen_and_minute_ranges_count_every_pageview_sent(site):
    site_id, now = site
    query = ga4_query.parse({
        "dimensions": [{"name": "unifiedScreenName"}, {"name": "minutesAgo"}],
        "metrics": [{"name": "screenPageViews"}, {"name": "eventCount"}],
        "minuteRanges": [{"name": "recent", "startMinutesAgo": 5, "endMinutesAgo": 0},
                         {"name": "earlier", "startMinutesAgo": 29, "endMinutesAgo": 6}],
    }, stream_id="1", stream_name="web")
    result = ga4_query.run(query, site_id, now)
    by_range = Counter()
    for row in result.rows:
        by_range[row[2]] += row[3]
    assert by_range == {"recent": 3, "earlier": 2}
    # eventCount (pageviews and events) still comes from the log: it includes the event.
    assert sum(row[4] for row in result.rows) == len(PAGEVIEWS) + 1
