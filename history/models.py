"""Durable history: counts rolled up every minute from the live state (see `history.rollup`).

Rows per tracker and local day: 92 to 100 `SlotCount`, one `DayCount`, and at most
NOWMETRIX_HISTORY_PAGES_PER_DAY + 1 `PageDay` (the top pages, plus an `(other)` row holding the
rest, so that the page rows of a day add up exactly to its totals).
"""

from __future__ import annotations

from django.db import models

from trackers.models import Account, Tracker

OTHER_PAGE_ID = "(other)"  # page ids are hex: this one cannot collide


class SlotCount(models.Model):
    """Pageviews and visits begun in one 15-minute slot. `slot` is the UTC slot number (unix
    time // 900), which is exactly one local slot; `date` is its tracker-local date."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="+")
    slot = models.BigIntegerField()
    date = models.DateField()
    pageviews = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tracker", "slot"], name="history_slot_unique")]
        indexes = [models.Index(fields=["tracker", "date"], name="history_slot_day")]


class DayCount(models.Model):
    """One tracker-local day. `registers` is the day's HyperLogLog as Redis stores it, kept to
    restore today's unique visitors into an emptied Redis (and to merge ranges later)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    pageviews = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    uniques = models.PositiveIntegerField(default=0)
    registers = models.BinaryField(default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tracker", "date"], name="history_day_unique")]


class PageDay(models.Model):
    """One page on one local day, described as last seen that day. `page_id` is the live
    state's page id (or OTHER_PAGE_ID); `url_id` the API's stable 32-hex id of host and path."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    page_id = models.CharField(max_length=32)
    url_id = models.CharField(max_length=32)
    host = models.CharField(max_length=255, blank=True)
    path = models.TextField(blank=True)
    title = models.TextField(blank=True)
    author = models.CharField(max_length=255, blank=True)
    pubdate = models.CharField(max_length=64, blank=True)
    image = models.TextField(blank=True)
    pageviews = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tracker", "date", "page_id"], name="history_page_unique")]
        # The recap sums a range of a tracker's page rows: with these columns in the index,
        # PostgreSQL answers from the index alone (other databases ignore `include`).
        indexes = [models.Index(fields=["tracker", "date"], include=["account", "page_id", "pageviews", "visits"],
                                name="history_page_range")]


class RollupCursor(models.Model):
    """Where the next rollup of a tracker starts reading: slots from `reread_from` on are read
    again every minute (late hits land there), older ones are final. A stopped worker resumes
    from here, which is how a rollup catches up after downtime."""

    tracker = models.OneToOneField(Tracker, on_delete=models.CASCADE, related_name="+")
    reread_from = models.BigIntegerField()
