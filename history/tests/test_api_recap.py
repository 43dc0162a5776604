"""GET /v1/recap and /v1/charts: presets, custom ranges, limits, search, summary, microcache."""

from datetime import date, timedelta

import pytest

from history.tests import rows
from history.tests.drive import at

TZ = "Europe/Zurich"
TODAY = date(2026, 11, 20)


@pytest.fixture
def history(tenant, clock):
    clock.now = at(TZ, 2026, 11, 20, 15, 0)
    for n in range(100):  # 2026-08-13 .. 2026-11-20
        day = TODAY - timedelta(days=n)
        rows.day(tenant.tracker, day, pageviews=10, visits=4)
    rows.page(tenant.tracker, TODAY, "/tram", 6, 2, title="Tram <b>line</b>", author="Ann Smith",
              pubdate="2026-11-20T08:00:00Z", image="https://img.example/tram.jpg")
    rows.page(tenant.tracker, TODAY - timedelta(days=1), "/tram", 3, 1, title="Tram (old title)", author="Ann Smith")
    rows.page(tenant.tracker, TODAY, "/budget", 4, 2, title="Budget", author="Bob")
    rows.page(tenant.tracker, TODAY - timedelta(days=40), "/archive", 50, 20, title="Archive")
    return tenant


def get(client, tenant, bearer, query=""):
    response = client.get(f"/v1/recap?site={tenant.tracker.public_id}{query}", **bearer)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("preset, start, end, label", [
    ("today", "2026-11-20", "2026-11-20", "Today"),
    ("yesterday", "2026-11-19", "2026-11-19", "Yesterday"),
    ("last7", "2026-11-14", "2026-11-20", "Last 7 Days"),
    ("last14", "2026-11-07", "2026-11-20", "Last 14 Days"),
    ("last30", "2026-10-22", "2026-11-20", "Last 30 Days"),
    ("last90", "2026-08-23", "2026-11-20", "Last 90 Days"),
    ("this_month", "2026-11-01", "2026-11-20", "This Month"),
    ("last_month", "2026-10-01", "2026-10-31", "Last Month"),
])
def test_every_preset_resolves_to_its_range(client, history, bearer, preset, start, end, label):
    body = get(client, history, bearer, f"&preset={preset}")
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    assert body["preset"] == preset
    assert body["range"] == {"from": start, "to": end, "label": label, "days": days}
    assert [d["date"] for d in body["daily"]] == [
        (date.fromisoformat(start) + timedelta(days=i)).isoformat() for i in range(days)]
    assert body["summary"]["total_pageviews"] == 10 * days


def test_the_default_is_last30_and_the_keys_come_in_order(client, history, bearer):
    body = get(client, history, bearer)
    assert list(body) == ["site", "preset", "timezone", "range", "limits", "search", "daily", "summary", "top_pages"]
    assert body["preset"] == "last30" and body["range"]["label"] == "Last 30 Days"
    assert body["limits"] == {"min_date": "2026-08-13", "max_date": "2026-11-20", "max_days": 366}
    assert list(body["top_pages"][0]) == ["rank", "title", "author", "pubdate", "url", "url_full", "url_id",
                                          "thumbnail", "pageviews", "visits"]


def test_a_custom_range_is_clamped_into_the_history(client, history, bearer):
    body = get(client, history, bearer, "&preset=custom&start=2020-01-01&end=2030-01-01")
    assert body["range"] == {"from": "2026-08-13", "to": "2026-11-20", "label": "2026-08-13 – 2026-11-20",
                             "days": 100}
    body = get(client, history, bearer, "&preset=custom&start=2026-11-01&end=2026-11-03")
    assert (body["range"]["from"], body["range"]["to"], body["range"]["days"]) == ("2026-11-01", "2026-11-03", 3)


def test_top_pages_sum_the_range_and_describe_the_page_as_last_seen(client, history, bearer):
    body = get(client, history, bearer, "&preset=last7")
    tram, budget = body["top_pages"]
    assert tram == {"rank": 1, "title": "Tram <b>line</b>", "author": "Ann Smith", "pubdate": "2026-11-20T08:00:00Z",
                    "url": "/tram", "url_full": "https://planet.example/tram", "url_id": tram["url_id"],
                    "thumbnail": "https://img.example/tram.jpg", "pageviews": 9, "visits": 3}
    assert len(tram["url_id"]) == 32 and int(tram["url_id"], 16) >= 0
    assert (budget["rank"], budget["url"], budget["pageviews"]) == (2, "/budget", 4)
    assert get(client, history, bearer, "&preset=last90")["top_pages"][0]["url"] == "/archive"


def test_limit_is_clamped(client, history, bearer):
    assert len(get(client, history, bearer, "&preset=last90&limit=1")["top_pages"]) == 1
    assert len(get(client, history, bearer, "&preset=last90&limit=0")["top_pages"]) == 1
    assert len(get(client, history, bearer, "&preset=last90&limit=1000")["top_pages"]) == 3
    assert len(get(client, history, bearer, "&preset=last90&limit=x")["top_pages"]) == 3


@pytest.mark.parametrize("param, value, urls", [
    ("q", "TRAM", ["/tram"]), ("q", "bob", ["/budget"]), ("search", "old title", ["/tram"]),
    ("q", "/budg", ["/budget"]), ("q", "nothing", []),
])
def test_q_filters_on_url_title_or_author(client, history, bearer, param, value, urls):
    body = get(client, history, bearer, f"&preset=last7&{param}={value}")
    assert [p["url"] for p in body["top_pages"]] == urls
    assert body["search"] == {"query": value}


@pytest.mark.parametrize("pageviews, visits, expected", [(10, 4, 2.5), (1, 3, 0.3), (5, 3, 1.7), (1, 8, 0.1),
                                                          (1, 0, 0.0), (3, 2, 1.5), (21, 20, 1.1)])
def test_pages_per_visitor_is_rounded_half_up_to_one_decimal(client, tenant, bearer, clock, pageviews, visits,
                                                              expected):
    clock.now = at(TZ, 2026, 11, 20, 15, 0)
    rows.day(tenant.tracker, TODAY, pageviews=pageviews, visits=visits)
    body = get(client, tenant, bearer, "&preset=today")
    assert body["summary"] == {"total_pageviews": pageviews, "total_visits": visits, "pages_per_visitor": expected}


def test_charts_is_the_same_as_recap(client, history, bearer):
    recap = get(client, history, bearer, "&preset=last7")
    charts = client.get(f"/v1/charts?site={history.tracker.public_id}&preset=last7", **bearer).json()
    assert charts == recap


def test_each_full_query_is_microcached_for_60_seconds(client, history, bearer, clock):
    url = f"/v1/recap?site={history.tracker.public_id}&preset=today"
    assert client.get(url, **bearer)["X-NowMetrix-Microcache"] == "MISS"
    rows.day(history.tracker, TODAY - timedelta(days=200), pageviews=1, visits=1)  # changes min_date
    clock.now += 59
    cached = client.get(url, **bearer)
    assert cached["X-NowMetrix-Microcache"] == "HIT" and cached.json()["limits"]["min_date"] == "2026-08-13"
    assert client.get(url + "&limit=5", **bearer)["X-NowMetrix-Microcache"] == "MISS"
    clock.now += 2
    fresh = client.get(url, **bearer)
    assert fresh["X-NowMetrix-Microcache"] == "MISS" and fresh.json()["limits"]["min_date"] == "2026-05-04"
