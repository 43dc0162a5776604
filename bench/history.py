"""History (issue 14): the minute rollup of 1,000 live trackers, the rollup of one tracker with
20,000 pages a day, /v1/recap over 90 days of such a tracker (p95, microcache cold and warm),
and the database rows per tracker-day.

Part of `make bench` (the throwaway SQLite database); `python -m bench.history` runs it alone
against the environment's DATABASE_URL and REDIS_URL, e.g. PostgreSQL for the recap target."""

from __future__ import annotations

import random
import secrets
import statistics
import time
from datetime import timedelta
from types import SimpleNamespace

from bench import synthetic
from bench.report import SectionResult

TRACKERS, TRACKERS_QUICK = 1_000, 100
PAGES_A_DAY, PAGES_A_DAY_QUICK = 20_000, 2_000
RECAP_DAYS, RECAP_DAYS_QUICK = 90, 7
VISITORS_PER_TRACKER = 30


def _hits(pages: list[str], count: int, rng: random.Random) -> list[str]:
    """`count` pageviews of new visitors over `pages` (page ids), as ingest.lua arguments."""
    from realtime.ingest.record import Record

    record = Record(page_id="", device="desktop", country="CH\x1fSwitzerland", city="CH\x1fZurich",
                    source="(none)\x1f(direct)\x1f", browser="Chrome", browser_version="124", os="Windows",
                    os_version="10", brand="", model="", region="", latitude="", longitude="", user_type="NEW")
    args: list[str] = []
    for i in range(count):
        pid = pages[i] if i < len(pages) else rng.choice(pages)
        meta = "\x1f".join((synthetic.HOST, f"/p/{pid}", f"Article {pid}", "", "Desk", "2026-11-20"))
        args.extend(("pv", secrets.token_urlsafe(12), "", pid, meta, record.pack(), ""))
    return args


def _load(site: str, tz: str, args: list[str], now: float) -> None:
    from realtime import live_state
    from realtime.ingest.visitor import local_date
    from realtime.live_state import TrackerBatch

    date = local_date(tz, now)
    for i in range(0, len(args), synthetic.BATCH_HITS * 7):
        batch = TrackerBatch(site, 300)
        for j in range(i, min(i + synthetic.BATCH_HITS * 7, len(args)), 7):
            batch.add(now, date, args[j:j + 7])
        live_state.ingest_apply([batch], now=now)


def _trackers(stack, n: int):
    from trackers.models import Tracker

    made = Tracker.objects.bulk_create([Tracker(account=stack.account, name=f"History {i}", hosts=[synthetic.HOST],
                                                timezone="UTC") for i in range(n)])
    return list(Tracker.objects.filter(pk__in=[t.pk for t in made]))


def _rollup_many(res: SectionResult, ctx, stack) -> None:
    from history.rollup import rollup_trackers

    trackers = _trackers(stack, TRACKERS_QUICK if ctx.quick else TRACKERS)
    rng = random.Random(5)
    pages = [f"{i:018x}" for i in range(200)]
    now = time.time()
    for t in trackers:
        ctx.remember_tracker(t.public_id)
        _load(t.public_id, "UTC", _hits(pages[:20], VISITORS_PER_TRACKER, rng), now)
    rollup_trackers(now, trackers)  # the first run reads two days of slots per tracker
    for run in range(ctx.runs):
        now += 60
        for t in trackers:  # a minute of traffic on every tracker
            _load(t.public_id, "UTC", _hits(pages, 3, rng), now)
        wall, cpu = time.perf_counter(), time.process_time()
        rollup_trackers(now, trackers)
        res.add("history.rollup_1k_ms", (time.perf_counter() - wall) * 1000)
        res.add("history.rollup_1k_cpu_ms", (time.process_time() - cpu) * 1000)
    res.details["rollup_trackers"] = len(trackers)


def _big_tracker(res: SectionResult, ctx, stack):
    from history.models import DayCount, PageDay
    from history.rollup import rollup_trackers

    tracker = _trackers(stack, 1)[0]
    ctx.remember_tracker(tracker.public_id)
    n_pages = PAGES_A_DAY_QUICK if ctx.quick else PAGES_A_DAY
    pages = [f"{i:018x}" for i in range(n_pages)]
    rng = random.Random(7)
    now = time.time()
    _load(tracker.public_id, "UTC", _hits(pages, n_pages * 2, rng), now)
    rollup_trackers(now, [tracker])
    for _ in range(ctx.runs):
        t0 = time.perf_counter()
        rollup_trackers(now + 60, [tracker])
        res.add("history.rollup_20k_pages_ms", (time.perf_counter() - t0) * 1000)
    today = DayCount.objects.get(tracker=tracker).date
    # A whole day has 96 slot rows (92 or 100 on DST days), one day row and its page rows.
    res.add("history.rows_per_tracker_day", 96 + 1 + PageDay.objects.filter(tracker=tracker, date=today).count())
    res.details["pages_a_day"] = n_pages
    return tracker, today


def _recap(res: SectionResult, ctx, stack, tracker, today) -> None:
    """90 earlier days of the big tracker's shape written straight into the tables, then
    GET /v1/recap?preset=last90 through Django."""
    from django.db import connection
    from django.test import Client

    from history.api import microcache
    from history.models import DayCount, PageDay

    days = RECAP_DAYS_QUICK if ctx.quick else RECAP_DAYS
    template = list(PageDay.objects.filter(tracker=tracker, date=today))
    for n in range(1, days):
        day = today - timedelta(days=n)
        DayCount.objects.create(account=stack.account, tracker=tracker, date=day, pageviews=40_000, visits=40_000)
        PageDay.objects.bulk_create([PageDay(
            account=stack.account, tracker=tracker, date=day, page_id=p.page_id, url_id=p.url_id, host=p.host,
            path=p.path, title=p.title, author=p.author, pubdate=p.pubdate, image=p.image, pageviews=p.pageviews,
            visits=p.visits) for p in template], batch_size=2000)
    with connection.cursor() as cursor:  # planner statistics and visibility map, as autovacuum keeps them
        cursor.execute("VACUUM ANALYZE history_pageday" if connection.vendor == "postgresql" else "ANALYZE")
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {stack.secret}")
    url = f"/v1/recap?site={tracker.public_id}&preset=last90"
    assert client.get(url).status_code == 200
    requests = 10 if ctx.quick else 40
    for _ in range(ctx.runs):
        cold, warm = [], []
        for _ in range(requests):
            microcache.clear()
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            cold.append((time.perf_counter() - t0) * 1000)
        for _ in range(requests):
            t0 = time.perf_counter()
            client.get(url)
            warm.append((time.perf_counter() - t0) * 1000)
        res.add("history.recap_p95_cold_ms", statistics.quantiles(cold, n=20)[-1])
        res.add("history.recap_p95_cached_ms", statistics.quantiles(warm, n=20)[-1])
    res.details["recap_days"] = days
    res.details["page_rows_in_range"] = PageDay.objects.filter(tracker=tracker).count()


def run(ctx) -> SectionResult:
    from django.test.utils import override_settings

    res = SectionResult("history")
    stack = ctx.app_stack()
    # The recap is requested far more than the bench's API key would be allowed per minute.
    with override_settings(NOWMETRIX_RATE_LIMIT_PER_MIN=1_000_000):
        _rollup_many(res, ctx, stack)
        tracker, today = _big_tracker(res, ctx, stack)
        _recap(res, ctx, stack, tracker, today)
    return res


def main() -> None:
    """Run the section alone against the configured database and Redis."""
    import django

    django.setup()
    from bench.appstack import AppStack

    ctx = SimpleNamespace(quick=False, runs=3, remember_tracker=lambda site: None)
    stack = AppStack.create()
    ctx.app_stack = lambda: stack
    res = run(ctx)
    for key, values in res.runs.items():
        print(f"{key}: " + ", ".join(f"{v:.1f}" for v in values))
    print(res.details)


if __name__ == "__main__":
    main()
