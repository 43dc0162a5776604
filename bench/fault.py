"""A Redis outage under steady pageview traffic: hits sent, accepted and counted across it,
ingest latency during it, and the spool's replay after it.

Its own redis-server with an append-only file (fsync every second, the production advice in
the README), so the restart keeps its data; one uvicorn worker of the real application
(`bench.stack_app`, which counts accepted hits). Pageview-only traffic at RATE_PER_SEC: two
seconds healthy, Redis stopped for OUTAGE_SECS (3 s in quick mode), then restarted, two more
seconds. Counted pageviews must equal accepted ones: every hit is a pageview, so a shortfall
is a lost hit and an excess a hit counted twice. The replay's time and rate come from the
server's own log line at the end of the replay."""

from __future__ import annotations

import json
import re
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timezone

from bench import synthetic, traffic
from bench.env import free_port, wait_port
from bench.report import SectionResult
from realtime import keys, live_state

RATE_PER_SEC = 200
OUTAGE_SECS = 20
CONNECTIONS = 8
VISITORS = 2_000
_REPLAYED = re.compile(r"spool replayed: (\d+) hits in ([\d.]+) s")


@contextmanager
def _this_process_on(url: str):
    """The bench process's live-state clients on the fault's own Redis for a moment."""
    from django.conf import settings

    original = settings.REDIS_URL
    settings.REDIS_URL = url
    live_state.client.cache_clear()
    try:
        yield
    finally:
        settings.REDIS_URL = original
        live_state.client.cache_clear()


def _start_redis(env, binary: str, port: int, data_dir):
    proc = env.spawn("fault-redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                     "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(data_dir)])
    wait_port(port, 10, proc.popen)
    return proc


def _counted(url: str, site: str, dates: set[str]) -> int:
    with _this_process_on(url):
        conn = live_state.client()
        return sum(int(conn.get(keys.tracker_key(site, keys.DAY_PAGEVIEWS_TOTAL, d)) or 0) for d in dates)


def _utc_date() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def measure(ctx, binary: str, outage: float) -> dict:
    env, lg = ctx.env, ctx.loadgen
    port = free_port()
    data_dir = env.tmp / f"fault-redis-{port}"
    data_dir.mkdir()
    url = f"redis://127.0.0.1:{port}/0"
    redis = _start_redis(env, binary, port, data_dir)
    site = synthetic.new_site_id()
    with _this_process_on(url):
        synthetic.publish_tracker(site, hosts=(traffic.HOST,))
    hits = traffic.build(site, VISITORS, pageviews_only=True)
    stats_dir = env.tmp / f"fault-{site}"
    stats_dir.mkdir()
    dates = {_utc_date()}
    stack = env.uvicorn("bench.stack_app:application", 1, name="fault", env=env.environ(
        REDIS_URL=url, CELERY_BROKER_URL=url, NMBENCH_STATS_DIR=str(stats_dir),
        NOWMETRIX_SPOOL_DIR=str(env.tmp / f"fault-spool-{site}")))
    phases = {}
    try:
        phases["before"] = lg.run(stack.port, hits.requests, seconds=2, connections=CONNECTIONS, rate=RATE_PER_SEC)
        env.stop(redis)
        phases["outage"] = lg.run(stack.port, hits.requests, seconds=outage, connections=CONNECTIONS,
                                  rate=RATE_PER_SEC)
        redis = _start_redis(env, binary, port, data_dir)
        phases["after"] = lg.run(stack.port, hits.requests, seconds=2, connections=CONNECTIONS, rate=RATE_PER_SEC)
        answered = sum(p.requests - p.non_2xx for p in phases.values())
        deadline = time.monotonic() + 60
        while _counted(url, site, dates | {_utc_date()}) < answered and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        env.stop(stack)
    dates.add(_utc_date())
    accepted = sum(json.loads(p.read_text())["accepted"].get("pv", 0) for p in stats_dir.glob("accepted-*.json"))
    counted = _counted(url, site, dates)
    env.stop(redis)
    replays = [(int(n), float(s)) for n, s in _REPLAYED.findall(stack.log_path.read_text(errors="replace"))]
    replayed, replay_secs = (sum(n for n, _ in replays), sum(s for _, s in replays)) if replays else (0, 0.0)
    return {
        "outage_secs": outage,
        "sent": sum(p.requests + p.errors for p in phases.values()),
        "accepted": accepted,
        "counted": counted,
        "lost": max(0, accepted - counted),
        "counted_twice": max(0, counted - accepted),
        "replayed": replayed,
        "replay_secs": replay_secs,
        "phases": {name: p.as_dict() for name, p in phases.items()},
    }


def run(ctx) -> SectionResult:
    res = SectionResult("fault")
    binary = shutil.which("redis-server")
    if binary is None:
        res.skip("fault", "redis-server is not installed: the outage needs a Redis of its own to stop")
        return res
    outage = 3 if ctx.quick else OUTAGE_SECS
    res.details = {"rate_per_sec": RATE_PER_SEC, "connections": CONNECTIONS, "runs": []}
    for _ in range(1 if ctx.quick else ctx.runs):
        m = measure(ctx, binary, outage)
        res.details["runs"].append(m)
        res.add("fault.outage_secs", m["outage_secs"])
        res.add("fault.hits_sent", m["sent"])
        res.add("fault.hits_accepted", m["accepted"])
        res.add("fault.hits_counted", m["counted"])
        res.add("fault.hits_lost", m["lost"])
        res.add("fault.hits_counted_twice", m["counted_twice"])
        res.add("fault.p99_ms_during_outage", m["phases"]["outage"]["p99_ms"])
        if m["replay_secs"] > 0:
            res.add("fault.replay_secs", m["replay_secs"])
            res.add("fault.replay_hits_per_sec", m["replayed"] / m["replay_secs"])
    res.notes.append(f"pageviews at {RATE_PER_SEC}/s; Redis with appendonly yes, appendfsync everysec, "
                     "stopped with SIGTERM and restarted with its data")
    return res
