"""GET /v1/realtime: the spec's fields, order and types, from known traffic."""

import time

import pytest

from realtime.api import microcache
from realtime.tests.traffic import IP_GB, IPHONE, Traffic


@pytest.fixture(autouse=True)
def _fresh_microcache():
    microcache.clear()
    yield
    microcache.clear()


def test_the_realtime_endpoint_returns_the_live_snapshot_with_every_field_in_order(client, tenant, bearer):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())
    t.hit(path="/story", t="Big story", i="https://cdn.planet.example/big.jpg", r="https://www.google.ch/")
    t.hit(path="/story", ip=IP_GB, ua=IPHONE, r="https://news.example.org/links")
    t.hit(path="/", ip=IP_GB)
    t.snapshot()
    response = client.get(f"/v1/realtime?site={site}", **bearer)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert list(body) == ["site", "updated_at", "total_realtime", "total_pageviews_today",
                          "total_unique_visitors_today", "devices", "top_pages", "countries", "cities", "sources_top5"]
    assert body["site"] == site
    assert body["updated_at"].endswith("+00:00") and len(body["updated_at"]) == 25
    assert body["total_realtime"] == 3
    assert body["total_pageviews_today"] == 3
    assert body["total_unique_visitors_today"] == 3
    assert body["devices"] == {"mobile": 1, "desktop": 2}
    story, home = body["top_pages"]
    assert list(story) == ["url", "host", "title", "og_image", "realtime_users", "pageviews_today", "sources"]
    assert story == {
        "url": "/story", "host": "planet.example", "title": "Big story",
        "og_image": "https://cdn.planet.example/big.jpg", "realtime_users": 2, "pageviews_today": 2,
        "sources": [
            {"medium": "search", "source": "Google Search", "count": 1, "percent": 50,
             "children": [{"label": "google.ch", "count": 1}]},
            {"medium": "referral", "source": "news.example.org", "count": 1, "percent": 50,
             "children": [{"label": "/links", "count": 1}]},
        ],
    }
    assert home["url"] == "/" and home["title"] == "/" and home["realtime_users"] == 1
    assert body["countries"] == [{"code": "GB", "name": "United Kingdom", "count": 2},
                                 {"code": "US", "name": "United States", "count": 1}]
    assert body["cities"] == [{"name": "London", "count": 2}, {"name": "Mountain View", "count": 1}]
    assert body["sources_top5"] == [
        {"medium": "(none)", "source": "(direct)", "count": 1, "percent": 33, "children": []},
        {"medium": "search", "source": "Google Search", "count": 1, "percent": 33,
         "children": [{"label": "google.ch", "count": 1}]},
        {"medium": "referral", "source": "news.example.org", "count": 1, "percent": 33,
         "children": [{"label": "/links", "count": 1}]},
    ]


def test_the_realtime_endpoint_lists_at_most_50_top_pages_and_5_sources(client, tenant, bearer):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())
    for n in range(55):
        t.hit(path=f"/p{n}", ip=f"81.2.69.{n + 1}", r=f"https://site{n % 7}.example.net/")
    t.snapshot()
    body = client.get(f"/v1/realtime?site={site}", **bearer).json()
    assert len(body["top_pages"]) == 50
    assert len(body["sources_top5"]) == 5
    assert body["total_realtime"] == 55


def test_a_quiet_tracker_answers_an_empty_snapshot(client, tenant, bearer):
    body = client.get(f"/v1/realtime?site={tenant.tracker.public_id}", **bearer).json()
    assert body["total_realtime"] == 0 and body["top_pages"] == [] and body["devices"] == {"mobile": 0, "desktop": 0}


def test_sources_lists_every_source_row_sorted(client, tenant, bearer):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())
    t.hit(path="/", r="https://www.google.com/")
    t.hit(path="/", ip=IP_GB, r="https://www.google.de/")
    t.hit(path="/?utm_source=morning-briefing&utm_medium=email&utm_campaign=daily-edition", ip="81.2.69.160")
    t.snapshot()
    response = client.get(f"/v1/sources?site={site}", **bearer)
    assert response.status_code == 200 and response["X-NowMetrix-Microcache"] in ("HIT", "MISS")
    body = response.json()
    assert list(body) == ["site", "updated_at", "total_visitors", "sources"]
    assert body["total_visitors"] == 3
    assert body["sources"] == [
        {"medium": "search", "source": "Google Search", "count": 2, "percent": 67,
         "children": [{"label": "google.com", "count": 1}, {"label": "google.de", "count": 1}]},
        {"medium": "newsletter", "source": "morning-briefing", "count": 1, "percent": 33,
         "children": [{"label": "daily-edition", "count": 1}]},
    ]
