"""Item 3: snapshot build time at 1,000 / 10,000 / 100,000 / 1,000,000 active visitors.

One tracker is filled through the real ingest script up to each size in turn; at each size
`realtime.snapshot.build(config, now)` (the Lua read plus the Python payload) is timed many
times. A run's figure is the median of its builds; the table shows the spread of runs."""

from __future__ import annotations

import statistics
import time

from bench import synthetic
from bench.figures import SNAPSHOT_SIZES
from bench.report import SectionResult
from realtime import live_state, snapshot
from realtime.ingest.visitor import local_date

QUICK_SIZES = (1_000, 10_000)


def time_builds(config, now: float, builds: int) -> list[float]:
    snapshot.build(config, now)  # the first call loads the script into Redis
    out = []
    for _ in range(builds):
        t0 = time.perf_counter()
        snapshot.build(config, now)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def time_reads(config, reads: int) -> list[float]:
    """The Redis half of a build alone (snapshot.lua), to tell it from the Python half."""
    date = local_date(config.timezone, time.time())
    out = []
    for _ in range(reads):
        t0 = time.perf_counter()
        live_state.snapshot_read(config.public_id, date, top_pages=snapshot.TOP_PAGES)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def run(ctx) -> SectionResult:
    res = SectionResult("snapshot")
    sizes = QUICK_SIZES if ctx.quick else SNAPSHOT_SIZES
    builds = 10 if ctx.quick else 40
    config = synthetic.publish_tracker(synthetic.new_site_id())
    universe = synthetic.Universe.make()
    loaded, load_secs = 0, 0.0
    res.details = {"builds_per_run": builds, "sizes": {}}
    for size in SNAPSHOT_SIZES:
        key = f"snapshot.build_ms.v{size}"
        if size not in sizes:
            res.unavailable[key] = "skipped in quick mode"
            continue
        now = time.time()
        load_secs += synthetic.load_visitors(config, size - loaded, now=now, universe=universe, seed=size)
        loaded = size
        for _ in range(ctx.runs):
            res.add(key, statistics.median(time_builds(config, time.time(), builds)))
        snap = snapshot.build(config, time.time())
        res.details["sizes"][size] = {"realtime_json_bytes": len(snap.dumps("realtime")),
                                      "total_realtime": snap.realtime["total_realtime"],
                                      "lua_read_ms": round(statistics.median(time_reads(config, builds)), 3)}
    medians = [statistics.median(res.runs[f"snapshot.build_ms.v{s}"]) for s in sizes]
    for run_i in range(ctx.runs):
        res.add("snapshot.build_ratio_largest_smallest",
                res.runs[f"snapshot.build_ms.v{sizes[-1]}"][run_i] / res.runs[f"snapshot.build_ms.v{sizes[0]}"][run_i])
    res.add("snapshot.load_visitors_per_sec", loaded / load_secs)
    res.details["medians_ms"] = dict(zip(sizes, medians))
    ctx.remember_tracker(config.public_id)
    return res
