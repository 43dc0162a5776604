"""Item 4: expiry cost. A tracker with active visitors gets 10,000 more whose last hit is an
hour old; `live_state.visitors_expire` removes them (timed), then the same again with the
whole tracker tick (`services.tracker_tick`: expire, trim, build and store the snapshot,
without the channel-layer announce). Beside them: 10,000 visitors last seen just past the
live window, whose visits go on (each record is kept in `:left` for a return and the hit log),
and the floor, one Lua call that only removes 10,000 ids from `:act` and `:vis` in bulk."""

from __future__ import annotations

import time

from bench import synthetic
from bench.report import SectionResult
from realtime import keys, live_state, services

EXPIRED = 10_000
_BARE_REMOVAL = """
local act, vis = KEYS[1] .. ARGV[2], KEYS[1] .. ARGV[3]
local ids = redis.call("ZRANGEBYSCORE", act, "-inf", "(" .. ARGV[1])
for i = 1, #ids, 1000 do
  local part = {unpack(ids, i, math.min(i + 999, #ids))}
  redis.call("HDEL", vis, unpack(part))
  redis.call("ZREM", act, unpack(part))
end
return #ids
"""


def _floor_ms(universe, seed: int) -> float:
    config = synthetic.publish_tracker(synthetic.new_site_id())
    now = time.time()
    synthetic.load_visitors(config, EXPIRED, now=now - 3600, universe=universe, seed=seed)
    conn = live_state.client()
    t0 = time.perf_counter()
    conn.eval(_BARE_REMOVAL, 1, keys.tracker_base(config.public_id), now - config.window_secs,
              keys.ACTIVE.value, keys.VISITORS.value)
    ms = (time.perf_counter() - t0) * 1000
    for key in conn.scan_iter(match=f"{keys.tracker_base(config.public_id)}:*", count=1000):
        conn.delete(key)
    return ms


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

        now = time.time()
        synthetic.load_visitors(config, EXPIRED, now=now - config.window_secs - 30, universe=universe, seed=300 + run_i)
        t0 = time.perf_counter()
        live_state.visitors_expire(config.public_id, now - config.window_secs)
        res.add("expiry.expire_10k_recent_ms", (time.perf_counter() - t0) * 1000)
        res.add("expiry.floor_10k_ms", _floor_ms(universe, 400 + run_i))
    ctx.remember_tracker(config.public_id)
    return res
