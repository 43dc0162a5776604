"""History rows written straight into the tables, for the endpoint and view tests (the rollup
that normally writes them is tested on its own)."""

from __future__ import annotations

from datetime import date

from history import slots
from history.models import DayCount, PageDay, SlotCount
from history.writes import url_id


def day(tracker, on: date, pageviews: int, visits: int, uniques: int = 0) -> None:
    DayCount.objects.create(account_id=tracker.account_id, tracker=tracker, date=on, pageviews=pageviews,
                            visits=visits, uniques=uniques)


def page(tracker, on: date, path: str, pageviews: int, visits: int, title: str = "", author: str = "",
         pubdate: str = "", image: str = "", host: str = "planet.example") -> None:
    page_id = f"p{abs(hash(host + path)):x}"[:18]
    PageDay.objects.create(account_id=tracker.account_id, tracker=tracker, date=on, page_id=page_id,
                           url_id=url_id(tracker.public_id, page_id), host=host, path=path, title=title,
                           author=author, pubdate=pubdate, image=image, pageviews=pageviews, visits=visits)


def slot_counts(tracker, on: date, counts: dict[str, int]) -> None:
    """Pageviews (and as many visits) by local slot start `HH:MM` of a day."""
    for slot in slots.day_slots(tracker.timezone, on):
        n = counts.get(slots.slot_label(tracker.timezone, slot), 0)
        if n:
            SlotCount.objects.create(account_id=tracker.account_id, tracker=tracker, slot=slot, date=on,
                                     pageviews=n, visits=n)
