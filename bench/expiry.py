"""Item 4: expiry cost. A tracker with active visitors gets 10,000 more whose last hit is an
hour old; `live_state.visitors_expire` removes them (timed), then the same again with the
whole tracker tick (`services.tracker_tick`: expire, trim, build and store the snapshot,
without the channel-layer announce)."""

from __future__ import annotations

import time

from bench import synthetic
from bench.report import SectionResult
from realtime import live_state, services

EXPIRED = 10_000


def run(ctx) -> SectionResult:
    res = SectionResult("expiry")
    background = 1_000 if ctx.quick else 100_000
    config = synthetic.publish_tracker(synthetic.new_site_id())
    universe = synthetic.Universe.make()
    synthetic.load_visitors(config, background, universe=universe, seed=1)
    res.details = {"expired_per_run": EXPIRED, "active_visitors_kept": background}
    for run_i in range(ctx.runs):
        now = time.time()
        synthetic.load_visitors(config, EXPIRED, now=now - 3600, universe=universe, seed=100 + run_i)
        t0 = time.perf_counter()
        n = live_state.visitors_expire(config.public_id, now - config.window_secs)
        ms = (time.perf_counter() - t0) * 1000
        if n != EXPIRED:
            res.notes.append(f"run {run_i}: expired {n}, expected {EXPIRED}")
        res.add("expiry.expire_10k_ms", ms)
        res.add("expiry.us_per_visitor", ms * 1000 / max(n, 1))

        now = time.time()
        synthetic.load_visitors(config, EXPIRED, now=now - 3600, universe=universe, seed=200 + run_i)
        t0 = time.perf_counter()
        services.tracker_tick(config, now, announce=False)
        res.add("expiry.tick_10k_ms", (time.perf_counter() - t0) * 1000)
    ctx.remember_tracker(config.public_id)
    return res
