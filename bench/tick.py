"""The sharded tick: how long one tick takes to build every live tracker, at 1,000 and 10,000
live trackers (3 visitors each, a modest rate), with 1 and 2 Celery worker processes.

A tick is sent as beat sends it (`realtime.tasks.tick` through the broker, which fans out one
task per shard, NOWMETRIX_TICK_SHARDS = 16); its time runs from the send to the end of the
last shard's pass (the `at` of each shard's record). Floors in the same run: the same tick's
work in this one process with no Celery (every shard one after the other: what the former
global-lock tick did), and a tick with no live tracker (the fan-out's own cost)."""

from __future__ import annotations

import random
import time

from bench import synthetic
from bench.report import SectionResult
from realtime import keys, live_state, services
from realtime.ingest.visitor import local_date
from realtime.live_state import TrackerBatch

VISITORS = 3
SITE_PREFIX = "tk"


def _load(count: int) -> list[str]:
    """`count` trackers with VISITORS active visitors each (a 30-minute window: no visitor expires
    while the section runs, so every tick does the same work)."""
    universe = synthetic.Universe.make()
    rng = random.Random(15)
    now = time.time()
    date = local_date("UTC", now)
    sites, batches = [], []
    for n in range(count):
        site = f"{SITE_PREFIX}{n:06d}"
        config = synthetic.publish_tracker(site, window_minutes=30)
        batch = TrackerBatch(site, config.window_secs)
        hits = synthetic.visitor_hits(universe, rng, VISITORS)
        for i in range(0, len(hits), 7):
            batch.add(now, date, hits[i:i + 7])
        batches.append(batch)
        sites.append(site)
        if len(batches) == 500:
            live_state.ingest_apply(batches, now=now)
            batches = []
    if batches:
        live_state.ingest_apply(batches, now=now)
    live_state.configs_published_mark()
    return sites


def _index(sites: list[str]) -> None:
    """Make exactly `sites` the live trackers (each in its shard's index)."""
    from django.conf import settings

    conn = live_state.client()
    pipe = conn.pipeline(transaction=False)
    for shard in range(settings.NOWMETRIX_TICK_SHARDS):
        pipe.delete(keys.live_trackers(shard))
    now = time.time()
    for site in sites:
        pipe.zadd(keys.live_trackers(keys.tick_shard(site)), {site: now})
    pipe.execute()


def _shards() -> int:
    from django.conf import settings

    return settings.NOWMETRIX_TICK_SHARDS


def _last_tick() -> int:
    return max(int(live_state.shard_done_get(shard).get("tick", 0)) for shard in range(_shards()))


def _celery_tick(redis_url: str, timeout: float = 600.0) -> float:
    """Send one tick as beat does; the ms until every shard has finished it."""
    from nowmetrix.celery import app

    before = _last_tick()
    t0 = time.time()
    with app.connection_for_write(redis_url) as conn:
        app.send_task("realtime.tasks.tick", connection=conn)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [live_state.shard_done_get(shard) for shard in range(_shards())]
        ticks = {int(d.get("tick", 0)) for d in done}
        if len(ticks) == 1 and ticks.pop() > before:
            return (max(float(d["at"]) for d in done) - t0) * 1000
        time.sleep(0.01)
    raise RuntimeError("a tick did not finish within the timeout: are the workers running?")


def _start_workers(ctx, n: int) -> list:
    """`n` worker processes. Their tick interval is long, so that no shard pass expires: the bench
    times whole ticks, however long they take (at 1 s, passes past the interval would expire)."""
    env = ctx.env
    worker_env = env.environ(NOWMETRIX_SNAPSHOT_INTERVAL_SECS="600")
    procs = [env.spawn(f"tick-worker-{i}", [env.python, "-m", "celery", "-A", "nowmetrix", "worker", "-n",
                                            f"tick{i}@%h", "--pool", "solo", "--loglevel", "INFO",
                                            "--without-gossip", "--without-mingle"], env=worker_env)
             for i in range(n)]
    deadline = time.monotonic() + 60
    for proc in procs:
        while " ready." not in proc.log_path.read_text(errors="replace"):
            if time.monotonic() > deadline or proc.popen.poll() is not None:
                raise RuntimeError("a Celery worker did not start:\n" + proc.log_tail())
            time.sleep(0.1)
    return procs


def _drop(sites: list[str]) -> None:
    """Take the section's trackers out of the tick and free their keys (one SCAN)."""
    _index([])
    conn = live_state.client()
    batch = list(conn.scan_iter(match=f"{keys.prefix()}:{{t:{SITE_PREFIX}*", count=10_000))
    for i in range(0, len(batch), 1000):
        conn.delete(*batch[i:i + 1000])


def run(ctx) -> SectionResult:
    res = SectionResult("tick")
    sizes = (1_000,) if ctx.quick else (1_000, 10_000)
    sites = _load(max(sizes))
    res.details = {"visitors_per_tracker": VISITORS, "shards": _shards(), "sizes": list(sizes)}
    try:
        for size in sizes:
            _index(sites[:size])
            for _ in range(ctx.runs):
                t0 = time.perf_counter()
                built = services.tick()
                res.add(f"tick.t{size}.one_process_ms", (time.perf_counter() - t0) * 1000)
                if built != size:
                    res.notes.append(f"one process built {built} of {size} trackers")
        for workers in ((2,) if ctx.quick else (1, 2)):  # the quick run (CI) only checks the harness
            procs = _start_workers(ctx, workers)
            try:
                _index([])
                for _ in range(ctx.runs):
                    res.add(f"tick.empty.w{workers}_ms", _celery_tick(ctx.env.redis_url))
                _index(sites[:min(sizes)])
                _celery_tick(ctx.env.redis_url)  # warm-up: scripts loaded, connections open
                for size in sizes:
                    _index(sites[:size])
                    for _ in range(ctx.runs):
                        res.add(f"tick.t{size}.w{workers}_ms", _celery_tick(ctx.env.redis_url))
            finally:
                for proc in procs:
                    ctx.env.stop(proc)
        for size in sizes:
            w1, w2 = res.runs.get(f"tick.t{size}.w1_ms"), res.runs.get(f"tick.t{size}.w2_ms")
            if w1 and w2:
                for a, b in zip(w1, w2):
                    res.add(f"tick.t{size}.scaling_w2_over_w1", a / b)
        for value in res.runs.get(f"tick.t{max(sizes)}.w1_ms", []):
            res.add("tick.trackers_per_worker_sec", max(sizes) / (value / 1000))
    finally:
        _drop(sites)
    res.notes.append(f"{VISITORS} visitors per tracker, NOWMETRIX_TICK_SHARDS={_shards()}, workers --pool solo")
    return res
