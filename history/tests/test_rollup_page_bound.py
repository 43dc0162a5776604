"""Page rows per day are bounded; an (other) row keeps the day's totals exact."""

from django.db.models import Sum

from history.models import OTHER_PAGE_ID, DayCount, PageDay
from history.rollup import history_rollup
from history.tests.drive import at, site_with_zone

TZ = "Europe/Zurich"


def test_only_the_top_pages_get_rows_and_the_rest_is_one_other_row(tenant, settings):
    settings.NOWMETRIX_HISTORY_PAGES_PER_DAY = 3
    site = site_with_zone(tenant, TZ)
    visitor = 0
    for page, views in [("/p1", 6), ("/p2", 5), ("/p3", 4), ("/p4", 3), ("/p5", 2), ("/p6", 1)]:
        for n in range(views):
            visitor += 1
            site.hit(at(TZ, 2026, 11, 20, 9, n), visitor, page)
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 30))

    rows = {r.path or r.page_id: (r.pageviews, r.visits) for r in PageDay.objects.filter(tracker=tenant.tracker)}
    assert rows == {"/p1": (6, 6), "/p2": (5, 5), "/p3": (4, 4), OTHER_PAGE_ID: (6, 6)}
    day = DayCount.objects.get(tracker=tenant.tracker)
    sums = PageDay.objects.filter(tracker=tenant.tracker).aggregate(pv=Sum("pageviews"), vi=Sum("visits"))
    assert (day.pageviews, day.visits) == (sums["pv"], sums["vi"]) == (21, 21)


def test_a_page_that_drops_out_of_the_top_moves_into_other(tenant, settings):
    settings.NOWMETRIX_HISTORY_PAGES_PER_DAY = 1
    site = site_with_zone(tenant, TZ)
    site.hit(at(TZ, 2026, 11, 20, 9, 0), 1, "/early")
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 1))
    for v in range(2, 4):
        site.hit(at(TZ, 2026, 11, 20, 9, v), v, "/later")
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 5))
    rows = {r.path or r.page_id: r.pageviews for r in PageDay.objects.filter(tracker=tenant.tracker)}
    assert rows == {"/later": 2, OTHER_PAGE_ID: 1}
