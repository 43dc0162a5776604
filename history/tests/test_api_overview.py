"""GET /v1/overview: the last N completed local days."""

from datetime import date, timedelta

from history.tests import rows
from history.tests.drive import at

TZ = "Europe/Zurich"


def test_the_overview_lists_completed_days_up_to_yesterday_with_totals(client, tenant, bearer, clock):
    clock.now = at(TZ, 2026, 11, 20, 0, 30)  # just after local midnight: yesterday is the 19th
    for n in range(1, 41):
        rows.day(tenant.tracker, date(2026, 10, 10) + timedelta(days=n), pageviews=n * 10, visits=n)
    rows.day(tenant.tracker, date(2026, 11, 20), pageviews=999, visits=99)  # today: not completed
    body = client.get(f"/v1/overview?site={tenant.tracker.public_id}&days=3", **bearer).json()
    assert body == {
        "site": tenant.tracker.public_id,
        "timezone": TZ,
        "range": {"from": "2026-11-17", "to": "2026-11-19", "days": 3},
        "daily": [{"date": "2026-11-17", "pageviews": 380, "visits": 38},
                  {"date": "2026-11-18", "pageviews": 390, "visits": 39},
                  {"date": "2026-11-19", "pageviews": 400, "visits": 40}],
        "totals": {"pageviews": 1170, "visits": 117},
    }


def test_days_is_clamped_and_falls_back_to_30(client, tenant, bearer, clock):
    clock.now = at(TZ, 2026, 11, 20, 12, 0)
    for n in range(60):
        rows.day(tenant.tracker, date(2026, 11, 19) - timedelta(days=n), pageviews=1, visits=1)
    site = tenant.tracker.public_id
    for days, expected in [("0", 1), ("-5", 1), ("7", 7), ("31", 30), ("500", 30), ("abc", 30), ("2.5", 30), ("", 30)]:
        body = client.get(f"/v1/overview?site={site}&days={days}", **bearer).json()
        assert body["range"]["days"] == len(body["daily"]) == expected, days


def test_a_short_history_returns_fewer_rows_and_gaps_as_zeros(client, tenant, bearer, clock):
    clock.now = at(TZ, 2026, 11, 20, 12, 0)
    rows.day(tenant.tracker, date(2026, 11, 16), pageviews=5, visits=2)
    rows.day(tenant.tracker, date(2026, 11, 19), pageviews=7, visits=3)
    body = client.get(f"/v1/overview?site={tenant.tracker.public_id}", **bearer).json()
    assert body["range"] == {"from": "2026-11-16", "to": "2026-11-19", "days": 4}
    assert [d["pageviews"] for d in body["daily"]] == [5, 0, 0, 7]
    assert body["totals"] == {"pageviews": 12, "visits": 5}


def test_a_tracker_without_history_has_no_rows(client, tenant, bearer, clock):
    clock.now = at(TZ, 2026, 11, 20, 12, 0)
    body = client.get(f"/v1/overview?site={tenant.tracker.public_id}", **bearer).json()
    assert body["range"] == {"from": "2026-11-19", "to": "2026-11-19", "days": 0}
    assert body["daily"] == [] and body["totals"] == {"pageviews": 0, "visits": 0}
