"""History older than NOWMETRIX_HISTORY_RETENTION_DAYS is deleted by the daily task; by
default it is kept forever."""

from datetime import date, timedelta

from history.models import DayCount, PageDay
from history.rollup import retention_apply
from history.tests import rows

TODAY = date(2026, 11, 20)


def seed(tracker):
    for n in (0, 9, 10, 11, 400):
        rows.day(tracker, TODAY - timedelta(days=n), pageviews=1, visits=1)
        rows.page(tracker, TODAY - timedelta(days=n), "/a", 1, 1)


def test_history_is_kept_forever_by_default(tenant):
    seed(tenant.tracker)
    assert retention_apply(TODAY) == 0
    assert DayCount.objects.count() == 5


def test_days_older_than_the_retention_are_deleted(tenant, settings):
    settings.NOWMETRIX_HISTORY_RETENTION_DAYS = 10
    seed(tenant.tracker)
    assert retention_apply(TODAY) == 4
    kept = sorted(DayCount.objects.values_list("date", flat=True))
    assert kept == [TODAY - timedelta(days=10), TODAY - timedelta(days=9), TODAY]
    assert PageDay.objects.count() == 3
