"""Days close at the tracker's local midnight, daylight saving switches included."""

from datetime import date, timedelta

import pytest

from history import slots
from history.models import DayCount, SlotCount
from history.rollup import history_rollup
from history.tests.drive import at, site_with_zone


@pytest.mark.parametrize("tz, day, expected_slots", [
    ("Europe/Zurich", date(2026, 3, 29), 92),
    ("Europe/Zurich", date(2026, 10, 25), 100),
    ("America/New_York", date(2026, 3, 8), 92),
    ("America/New_York", date(2026, 11, 1), 100),
    ("America/New_York", date(2026, 11, 20), 96),
])
def test_traffic_across_local_midnights_lands_on_the_right_days(tenant, tz, day, expected_slots):
    site = site_with_zone(tenant, tz)
    before = day - timedelta(days=1)
    site.hit(at(tz, before.year, before.month, before.day, 23, 59), 1, "/late")
    history_rollup(now=at(tz, before.year, before.month, before.day, 23, 59, 30))
    day_slots = slots.day_slots(tz, day)
    for n, slot in enumerate(day_slots):  # one pageview in every slot of the day, each a new visitor
        site.hit(slot * 900 + 30, n + 2, "/every-slot")
    after = day + timedelta(days=1)
    site.hit(at(tz, after.year, after.month, after.day, 0, 1), 999, "/early")
    history_rollup(now=at(tz, after.year, after.month, after.day, 0, 5))

    assert len(day_slots) == expected_slots
    assert SlotCount.objects.filter(tracker=tenant.tracker, date=day).count() == expected_slots
    days = {d.date: (d.pageviews, d.visits) for d in DayCount.objects.filter(tracker=tenant.tracker)}
    assert days == {before: (1, 1), day: (expected_slots, expected_slots), after: (1, 1)}
