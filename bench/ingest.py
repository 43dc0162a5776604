"""Items 1 and 2: ingest throughput through the real HTTP server, against the floor.

For each worker count (1, then 2 server processes): the bare ASGI GIF app's maximum rate
under the same uvicorn configuration (the floor); then the real application
(`bench.stack_app`, which is `nowmetrix.asgi:application` plus a per-kind count of accepted
hits) warmed up, driven closed-loop at its maximum rate, then paced at 80% of it for the
latency percentiles. After a graceful stop (the lifespan flushes the last batch and spools
what Redis did not take; a restart then replays the spool, as a deployment's would), the live
state must account for every accepted hit: today's pageview counter equals the pageviews
the servers accepted, every visitor the replayed traffic reached is active, and nothing was
dropped. In quick mode there is no warm-up: its rates are a smoke test, not a measurement."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from bench import synthetic, traffic
from bench.report import SectionResult
from realtime import keys, live_state

CONNECTIONS = 64
VISITORS = 2_000


def _count_check(ctx, site: str, stats_dir, dates: set[str], completed: int) -> dict:
    accepted: dict[str, int] = {}
    ingestor_dropped = 0  # before any tracker was known: counted by the servers only
    stats = list(stats_dir.glob("accepted-*.json"))
    for path in stats:
        stat = json.loads(path.read_text())
        for kind, n in stat["accepted"].items():
            accepted[kind] = accepted.get(kind, 0) + n
        ingestor_dropped += stat["ingestor_dropped"]
    conn = live_state.client()
    counted_pv = sum(int(conn.get(keys.tracker_key(site, keys.DAY_PAGEVIEWS_TOTAL, d)) or 0) for d in dates)
    drops = {d: conn.hgetall(keys.tracker_key(site, keys.DROPS, d)) for d in dates}
    active = conn.zcard(keys.tracker_key(site, keys.ACTIVE))
    # Each load phase replays the list from its start, in order, five hits per visitor: the
    # longest phase's `completed` answered requests covered at least this many whole visitors
    # (requests still in flight at the stop may add a few more, never fewer).
    expected_active = min(VISITORS, completed // traffic.HITS_PER_VISITOR)
    return {
        "accepted": accepted,
        "server_processes_reporting": len(stats),  # one per worker, or a flush was skipped
        "counted_pageviews": counted_pv,
        "active_visitors": active,
        "expected_active_visitors_at_least": expected_active,
        "drops": {d: v for d, v in drops.items() if v},
        "ingestor_dropped": ingestor_dropped,
        # Lost: accepted pageviews missing from the counter, accepted visitors missing from the
        # live set, and anything counted as dropped (the traffic has no droppable hit).
        "lost": abs(accepted.get("pv", 0) - counted_pv) + max(0, expected_active - active)
        + sum(int(n) for v in drops.values() for n in v.values()) + ingestor_dropped,
    }


def _replay_spool(env, stats_dir, timeout: float = 120.0) -> int:
    """What a stop could not write went to the spool, to be replayed by the next start (the
    product's exactly-once promise spans restarts): start the server again until the spool is
    empty, so the count covers it. Returns the segments found (0: no restart needed)."""
    spool = env.tmp / "spool"
    found = len(list(spool.glob("*.spool"))) if spool.exists() else 0
    if not found:
        return 0
    replay_stats = stats_dir / "replay"  # its own: the replaying server accepts no hit
    replay_stats.mkdir(exist_ok=True)
    server = env.uvicorn("bench.stack_app:application", workers=1,
                         env=env.environ(NMBENCH_STATS_DIR=str(replay_stats)), name="ingest-replay")
    try:
        deadline = time.monotonic() + timeout
        while any(spool.glob("*.spool")):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the spool was not replayed within {timeout:.0f} s:\n{server.log_tail()}")
            time.sleep(0.2)
    finally:
        env.stop(server)
    return found


def _utc_date() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def measure(ctx, workers: int, seconds: float, warm: float, pageviews_only: bool = False) -> dict:
    env, lg = ctx.env, ctx.loadgen
    out: dict = {"workers": workers, "mix": "pageviews only" if pageviews_only else "1 pageview, 4 heartbeats"}
    site = synthetic.new_site_id()
    synthetic.publish_tracker(site, hosts=(traffic.HOST,))
    hits = traffic.build(site, VISITORS, pageviews_only=pageviews_only)

    floor = env.uvicorn("bench.floors:gif_app", workers=workers, name="floor-gif")
    try:
        if not ctx.quick:
            lg.run(floor.port, hits.requests, seconds=warm, connections=CONNECTIONS)
        out["floor"] = lg.run(floor.port, hits.requests, seconds=seconds, connections=CONNECTIONS).as_dict()
    finally:
        env.stop(floor)

    stats_dir = env.tmp / f"ingest-{site}"
    stats_dir.mkdir()
    dates = {_utc_date()}
    stack = env.uvicorn("bench.stack_app:application", workers=workers,
                        env=env.environ(NMBENCH_STATS_DIR=str(stats_dir)), name="ingest")
    completed = 0
    try:
        if not ctx.quick:  # caches (User-Agents, places, sources) and connections warm up
            completed = lg.run(stack.port, hits.requests, seconds=warm, connections=CONNECTIONS).requests
        peak = lg.run(stack.port, hits.requests, seconds=seconds, connections=CONNECTIONS)
        paced = lg.run(stack.port, hits.requests, seconds=seconds, connections=CONNECTIONS, rate=0.8 * peak.rps)
        out["max"], out["paced"] = peak.as_dict(), paced.as_dict()
        completed = max(completed, peak.requests, paced.requests)
    finally:
        code = env.stop(stack)
    out["spool_segments_replayed"] = _replay_spool(env, stats_dir)
    dates.add(_utc_date())
    out["server_exit_code"] = code
    out["check"] = _count_check(ctx, site, stats_dir, dates, completed)
    ctx.remember_tracker(site)
    return out


def run(ctx) -> SectionResult:
    res = SectionResult("ingest")
    seconds, warm = (1, 1) if ctx.quick else (8, 2)
    res.details = {"connections": CONNECTIONS, "visitors_in_traffic": VISITORS, "seconds_per_phase": seconds,
                   "load_generator": ctx.loadgen.tool, "runs": []}
    for _ in range(ctx.runs):
        per_run = {}
        for workers in (1, 2):
            m = measure(ctx, workers, seconds, warm)
            per_run[workers] = m
            w = f"ingest.w{workers}"
            res.add(f"{w}.floor_rps", m["floor"]["rps"])
            res.add(f"{w}.max_rps", m["max"]["rps"])
            res.add(f"{w}.pct_of_floor", 100 * m["max"]["rps"] / m["floor"]["rps"])
            res.add(f"{w}.paced_rps", m["paced"]["rps"])
            res.add(f"{w}.p50_ms_at_80pct", m["paced"]["p50_ms"])
            res.add(f"{w}.p99_ms_at_80pct", m["paced"]["p99_ms"])
            res.add(f"{w}.hits_lost", m["check"]["lost"])
            errors = sum(m[k]["errors"] + m[k]["non_2xx"] for k in ("max", "paced"))
            if errors:
                res.notes.append(f"{errors} load generator errors or non-2xx responses with {workers} worker(s)")
        res.add("ingest.scaling_w2_over_w1", per_run[2]["max"]["rps"] / per_run[1]["max"]["rps"])
        res.add("ingest.floor_scaling_w2_over_w1", per_run[2]["floor"]["rps"] / per_run[1]["floor"]["rps"])
        pv = measure(ctx, 1, seconds, warm, pageviews_only=True)
        per_run["pv1"] = pv
        res.add("ingest.pv.w1.max_rps", pv["max"]["rps"])
        res.add("ingest.pv.w1.paced_rps", pv["paced"]["rps"])
        res.add("ingest.pv.w1.p50_ms_at_80pct", pv["paced"]["p50_ms"])
        res.add("ingest.pv.w1.p99_ms_at_80pct", pv["paced"]["p99_ms"])
        res.add("ingest.pv.w1.hits_lost", pv["check"]["lost"])
        res.details["runs"].append(per_run)
    res.notes.append(f"the load generator ({ctx.loadgen.tool}, 1 thread) runs on the same {ctx.cores}-core machine "
                     "as the servers: with 2 workers, 3 busy processes share 2 cores")
    return res
