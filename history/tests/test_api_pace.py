"""GET /v1/pace: today against yesterday, with hand-computed pace and projection."""

from datetime import date

from history.api import microcache
from history.tests import rows
from history.tests.drive import at
from realtime import live_state
from trackers import services

TZ = "Europe/Zurich"


def pace(client, tenant, bearer):
    response = client.get(f"/v1/pace?site={tenant.tracker.public_id}", **bearer)
    assert response.status_code == 200, response.content
    return response.json()


def test_pace_and_projection_match_hand_computed_values(client, tenant, bearer, clock):
    clock.now = at(TZ, 2026, 11, 20, 10, 7, 30)
    yesterday, today = date(2026, 11, 19), date(2026, 11, 20)
    rows.day(tenant.tracker, yesterday, pageviews=90, visits=40)
    rows.slot_counts(tenant.tracker, yesterday, {"09:30": 8, "09:45": 4, "10:00": 6, "10:15": 10})
    rows.day(tenant.tracker, today, pageviews=52, visits=20)
    rows.slot_counts(tenant.tracker, today, {"09:30": 5, "09:45": 7, "10:00": 3})
    body = pace(client, tenant, bearer)
    # Same time yesterday: 8 + 4 + half of the 10:00 slot (7.5 of 15 minutes) of 6 = 15.
    assert {k: v for k, v in body.items() if k != "intervals"} == {
        "site": tenant.tracker.public_id,
        "updated_at": "2026-11-20T09:07:30+00:00",
        "timezone": TZ,
        "interval_minutes": 15,
        "today": {"date": "2026-11-20", "pageviews": 52, "visits": 20},
        "yesterday": {"date": "2026-11-19", "pageviews": 90, "visits": 40, "pageviews_same_time": 15},
        "pace_percent": 347,  # 52 / 15 = 346.67 %
        "projected_pageviews": 312,  # 52 * 90 / 15
    }
    assert list(body) == ["site", "updated_at", "timezone", "interval_minutes", "today", "yesterday",
                          "pace_percent", "projected_pageviews", "intervals"]
    intervals = {i["start"]: (i["today"], i["yesterday"]) for i in body["intervals"]}
    assert len(body["intervals"]) == 96
    assert intervals["00:00"] == (0, 0)
    assert (intervals["09:30"], intervals["09:45"], intervals["10:00"]) == ((5, 8), (7, 4), (3, 6))
    assert intervals["10:15"] == (None, 10)  # still to come today
    assert intervals["23:45"] == (None, 0)


def test_without_yesterday_the_pace_is_null_and_the_projection_is_today(client, tenant, bearer, clock):
    clock.now = at(TZ, 2026, 11, 20, 10, 0)
    rows.day(tenant.tracker, date(2026, 11, 20), pageviews=7, visits=3)
    body = pace(client, tenant, bearer)
    assert (body["pace_percent"], body["projected_pageviews"]) == (None, 7)


def test_a_fall_back_day_has_100_intervals_and_a_spring_forward_day_92(client, tenant, bearer, clock):
    clock.now = at(TZ, 2026, 10, 25, 12, 0)
    rows.slot_counts(tenant.tracker, date(2026, 10, 24), {"02:00": 5})
    body = pace(client, tenant, bearer)
    assert len(body["intervals"]) == 100
    repeated = [i for i in body["intervals"] if i["start"] == "02:00"]
    assert [i["yesterday"] for i in repeated] == [5, 0]  # yesterday's count shown once

    services.tracker_update(tracker=tenant.tracker, timezone="America/New_York")
    live_state.tracker_config_publish(tenant.tracker)
    clock.now = at("America/New_York", 2026, 3, 8, 12, 0)
    microcache.clear()  # the clock went back in time
    body = pace(client, tenant, bearer)
    assert len(body["intervals"]) == 92
    assert not [i for i in body["intervals"] if i["start"].startswith("02:")]
