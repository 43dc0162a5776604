"""When Redis comes back empty, today's totals come back from the rollups."""

from history.rollup import history_rollup
from history.tests.drive import at, site_with_zone
from nowmetrix.pytest_plugin import delete_keys
from realtime import keys, live_state

TZ = "Europe/Zurich"


def empty_redis_of(tracker):
    """Every key of the tracker gone, as after a Redis restart without persistence."""
    from django.conf import settings

    delete_keys(settings.REDIS_URL, keys.tracker_base(tracker.public_id))
    live_state.tracker_config_publish(tracker)  # the minute's republish task


def test_an_empty_redis_gets_todays_pageviews_and_uniques_back(tenant):
    site = site_with_zone(tenant, TZ)
    for v in range(1, 6):
        site.hit(at(TZ, 2026, 11, 20, 9, v), v, "/tram")
    site.hit(at(TZ, 2026, 11, 20, 9, 10), 1, "/budget")
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 11))

    empty_redis_of(tenant.tracker)
    site.hit(at(TZ, 2026, 11, 20, 9, 20), 1, "/tram")  # a reader seen before the restart
    site.hit(at(TZ, 2026, 11, 20, 9, 21), 6, "/budget")  # and a new one
    assert history_rollup(now=at(TZ, 2026, 11, 20, 9, 22)).restored_days == 1

    snap = site.traffic.snapshot()
    assert snap["total_pageviews_today"] == 8
    assert snap["total_unique_visitors_today"] == 6
    today = {p["url"]: p["pageviews_today"] for p in snap["top_pages"]}
    assert today == {"/tram": 6, "/budget": 2}


def test_the_restored_day_rolls_up_to_the_full_counts_once(tenant):
    site = site_with_zone(tenant, TZ)
    for v in range(1, 4):
        site.hit(at(TZ, 2026, 11, 20, 9, v), v, "/tram")
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 5))
    empty_redis_of(tenant.tracker)
    site.hit(at(TZ, 2026, 11, 20, 9, 6), 4, "/tram")
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 7))
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 8))  # marked: not restored twice
    from history.models import DayCount, SlotCount

    day = DayCount.objects.get(tracker=tenant.tracker)
    assert (day.pageviews, day.visits, day.uniques) == (4, 4, 4)
    assert list(SlotCount.objects.filter(tracker=tenant.tracker).values_list("pageviews", "visits")) == [(4, 4)]
