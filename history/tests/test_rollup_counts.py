"""Known traffic, driven through the real ingest path, rolls up into exactly its counts."""

from datetime import date

from history import slots
from history.models import DayCount, PageDay, SlotCount
from history.rollup import history_rollup
from history.tests.drive import at, dump, site_with_zone

TZ = "Europe/Zurich"


def drive_a_day(site):
    site.hit(at(TZ, 2026, 11, 20, 9, 58), 1, "/a", t="Tram line", a="Ann", p="2026-11-20T08:00:00Z",
             i="https://img.example/a.jpg")
    site.hit(at(TZ, 2026, 11, 20, 10, 3), 1, "/b", t="Budget")
    site.hit(at(TZ, 2026, 11, 20, 10, 4), 2, "/a", t="Tram line, updated", a="Ann", p="2026-11-20T08:00:00Z")
    site.hit(at(TZ, 2026, 11, 20, 10, 5), 2, "/a", kind="hb")
    site.hit(at(TZ, 2026, 11, 20, 11, 0), 1, "/c", t="Cats")  # 57 minutes after its last hit: a new visit
    site.hit(at(TZ, 2026, 11, 20, 23, 50), 3, "/a")
    site.hit(at(TZ, 2026, 11, 21, 0, 10), 3, "/b")  # the next local day


def slot_at(*args):
    return slots.slot_of(at(TZ, *args))


def test_the_rollup_counts_known_traffic_into_exact_slots_days_and_pages(tenant):
    site = site_with_zone(tenant, TZ)
    drive_a_day(site)
    history_rollup(now=at(TZ, 2026, 11, 21, 0, 20))
    d, d1 = date(2026, 11, 20), date(2026, 11, 21)
    assert dump(tenant.tracker)["slots"] == [
        (slot_at(2026, 11, 20, 9, 45), d, 1, 1),
        (slot_at(2026, 11, 20, 10, 0), d, 2, 1),
        (slot_at(2026, 11, 20, 11, 0), d, 1, 1),
        (slot_at(2026, 11, 20, 23, 45), d, 1, 1),
        (slot_at(2026, 11, 21, 0, 0), d1, 1, 1),
    ]
    assert dump(tenant.tracker)["days"] == [(d, 5, 4, 3), (d1, 1, 1, 1)]
    assert dump(tenant.tracker)["pages"] == [
        (d, "/a", "Tram line, updated", "Ann", "2026-11-20T08:00:00Z", "", 3, 3),
        (d, "/b", "Budget", "", "", "", 1, 0),
        (d, "/c", "Cats", "", "", "", 1, 1),
        (d1, "/b", "Budget", "", "", "", 1, 1),  # pages are described as last seen
    ]


def test_a_day_keeps_its_hyperloglog_registers(tenant):
    site = site_with_zone(tenant, TZ)
    drive_a_day(site)
    history_rollup(now=at(TZ, 2026, 11, 21, 0, 20))
    day = DayCount.objects.get(tracker=tenant.tracker, date=date(2026, 11, 20))
    assert bytes(day.registers).startswith(b"HYLL")


def test_a_page_described_without_an_image_keeps_the_stored_one(tenant):
    site = site_with_zone(tenant, TZ)
    site.hit(at(TZ, 2026, 11, 20, 9, 0), 1, "/a", t="Tram", i="https://img.example/a.jpg")
    site.hit(at(TZ, 2026, 11, 20, 9, 1), 2, "/a")  # a pixel-like hit: no description
    history_rollup(now=at(TZ, 2026, 11, 20, 9, 5))
    row = PageDay.objects.get(tracker=tenant.tracker, path="/a")
    assert (row.title, row.image, row.host, row.pageviews, row.visits) == (
        "Tram", "https://img.example/a.jpg", "planet.example", 2, 2)


def test_slots_carry_their_local_date(tenant):
    site = site_with_zone(tenant, TZ)
    drive_a_day(site)
    history_rollup(now=at(TZ, 2026, 11, 21, 0, 20))
    for row in SlotCount.objects.filter(tracker=tenant.tracker):
        assert row.date == slots.slot_date(TZ, row.slot)
