"""Scale-out (issue 15): ingest with 1, 2 and 4 web processes (uvicorn `--workers`, each with its
own batcher) against the bench's single Redis and against a 3-master Redis Cluster this section
starts (devstack/redis_cluster.py), each against the bare ASGI GIF floor with the same number of
processes in the same run; and what each accepted hit costs Redis, from the INFO commandstats
delta summed over every node: commands per hit (those ingest.lua runs included: the server's
work), hits per script call (the batching: one EVALSHA per tracker per flush), and the
microseconds of ingest.lua per hit (Redis CPU, the capacity plan's figure).

The traffic is bench/traffic.py's mix spread over TRACKERS trackers (their hash tags fall on
every node of the cluster). Closed-loop maximum only (bench/ingest.py has the latencies). After
a graceful stop, today's pageview counters of the trackers must add up to the pageviews the
servers accepted, with nothing dropped. Quick mode: 1 and 2 processes, one-second phases."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timezone

from bench import synthetic, traffic
from bench.report import SectionResult
from realtime import keys

CONNECTIONS = 64
TRACKERS = 24
VISITORS_PER_TRACKER = 100
PROCESSES, QUICK_PROCESSES = (1, 2, 4), (1, 2)
MODES = ("single", "cluster")


def _interleaved(sites: list[str]) -> list[traffic.Request]:
    """Every tracker's requests, in turn: each keeps its visitors' order (pageview first)."""
    lists = [traffic.build(site, VISITORS_PER_TRACKER, seed=7 + n).requests for n, site in enumerate(sites)]
    return [request for group in zip(*lists) for request in group]


def _command_stats(conns) -> dict[str, tuple[int, int]]:
    """(calls, microseconds) so far by command, summed over these nodes, INFO itself left out
    (it is the measurement). Redis counts the commands a script runs as well as the script."""
    totals: dict[str, tuple[int, int]] = {}
    for conn in conns:
        for name, stats in conn.info("commandstats").items():
            if name != "cmdstat_info":
                calls, usec = totals.get(name.removeprefix("cmdstat_"), (0, 0))
                totals[name.removeprefix("cmdstat_")] = (calls + int(stats["calls"]), usec + int(stats["usec"]))
    return totals


@contextmanager
def _this_process_on(url: str):
    """Point this process's live-state clients at `url` (publishing configs, reading counts)."""
    from django.conf import settings

    from realtime.live_state import clients

    original = settings.REDIS_URL
    settings.REDIS_URL = url
    clients.clients_reset()
    try:
        yield clients.client()
    finally:
        settings.REDIS_URL = original
        clients.clients_reset()


def _accepted(stats_dir) -> dict[str, int]:
    accepted: dict[str, int] = {}
    for path in stats_dir.glob("accepted-*.json"):
        for kind, n in json.loads(path.read_text())["accepted"].items():
            accepted[kind] = accepted.get(kind, 0) + n
    return accepted


def measure(ctx, processes: int, mode: str, url: str, node_urls: list[str], seconds: float, warm: float) -> dict:
    import redis

    env, lg = ctx.env, ctx.loadgen
    sites = [synthetic.new_site_id() for _ in range(TRACKERS)]
    with _this_process_on(url):
        for site in sites:
            synthetic.publish_tracker(site, hosts=(traffic.HOST,))
    requests = _interleaved(sites)
    nodes = [redis.Redis.from_url(u, decode_responses=True) for u in node_urls]
    stats_dir = env.tmp / f"scaleout-{mode}-{processes}-{sites[0]}"
    stats_dir.mkdir()
    dates = {datetime.now(timezone.utc).date().isoformat()}
    before = _command_stats(nodes)
    stack = env.uvicorn("bench.stack_app:application", workers=processes, name=f"scaleout-{mode}", env=env.environ(
        NMBENCH_STATS_DIR=str(stats_dir), REDIS_URL=url, NOWMETRIX_PUBSUB_REDIS_URLS=env.redis_url))
    try:
        if not ctx.quick:
            lg.run(stack.port, requests, seconds=warm, connections=CONNECTIONS)
        peak = lg.run(stack.port, requests, seconds=seconds, connections=CONNECTIONS)
    finally:
        code = env.stop(stack)
    dates.add(datetime.now(timezone.utc).date().isoformat())
    after = _command_stats(nodes)
    by_command = {name: (calls - before.get(name, (0, 0))[0], usec - before.get(name, (0, 0))[1])
                  for name, (calls, usec) in after.items() if calls > before.get(name, (0, 0))[0]}
    calls = sum(n for n, _ in by_command.values())
    script_calls, script_usec = by_command.get("evalsha", (0, 0))
    for node in nodes:
        node.close()
    accepted = _accepted(stats_dir)
    with _this_process_on(url) as conn:
        counted = sum(int(conn.get(keys.tracker_key(site, keys.DAY_PAGEVIEWS_TOTAL, d)) or 0)
                      for site in sites for d in dates)
        dropped = sum(int(n) for site in sites for d in dates
                      for n in conn.hgetall(keys.tracker_key(site, keys.DROPS, d)).values())
    if mode == "single":  # the cluster goes away with its data at the end of the section
        for site in sites:
            ctx.remember_tracker(site)
    hits = sum(accepted.values())
    return {"processes": processes, "mode": mode, "max": peak.as_dict(), "server_exit_code": code,
            "accepted": accepted, "counted_pageviews": counted, "dropped": dropped,
            "server_processes_reporting": len(list(stats_dir.glob("accepted-*.json"))),
            "redis_commands": calls, "redis_commands_by_name": by_command,
            "redis_ops_per_hit": calls / hits if hits else None,
            "hits_per_script_call": hits / script_calls if script_calls else None,
            "script_us_per_hit": script_usec / hits if hits else None,
            "lost": abs(accepted.get("pv", 0) - counted) + dropped}


def _floor(ctx, processes: int, seconds: float, warm: float) -> dict:
    requests = traffic.build(synthetic.new_site_id(), VISITORS_PER_TRACKER).requests
    floor = ctx.env.uvicorn("bench.floors:gif_app", workers=processes, name="scaleout-floor")
    try:
        if not ctx.quick:
            ctx.loadgen.run(floor.port, requests, seconds=warm, connections=CONNECTIONS)
        return ctx.loadgen.run(floor.port, requests, seconds=seconds, connections=CONNECTIONS).as_dict()
    finally:
        ctx.env.stop(floor)


def run(ctx) -> SectionResult:
    from devstack.redis_cluster import start_redis_cluster

    res = SectionResult("scaleout")
    seconds, warm = (1, 0) if ctx.quick else (5, 2)
    counts = QUICK_PROCESSES if ctx.quick else PROCESSES
    res.details = {"connections": CONNECTIONS, "trackers": TRACKERS, "visitors_per_tracker": VISITORS_PER_TRACKER,
                   "seconds_per_phase": seconds, "processes": counts, "runs": []}
    for p in PROCESSES:
        if p not in counts:
            res.skip(f"scaleout.floor.p{p}", "the quick run measures 1 and 2 processes")
            for mode in MODES:
                res.skip(f"scaleout.{mode}.p{p}", "the quick run measures 1 and 2 processes")
    cluster = start_redis_cluster(masters=3)
    try:
        res.details["cluster_nodes"] = cluster.node_urls
        where = {"single": (ctx.env.redis_url, [ctx.env.redis_url]), "cluster": (cluster.url, cluster.node_urls)}
        for _ in range(ctx.runs):
            per_run: dict = {}
            for p in counts:
                floor = _floor(ctx, p, seconds, warm)
                per_run[f"floor.p{p}"] = floor
                res.add(f"scaleout.floor.p{p}.rps", floor["rps"])
                for mode in MODES:
                    m = measure(ctx, p, mode, *where[mode], seconds, warm)
                    per_run[f"{mode}.p{p}"] = m
                    res.add(f"scaleout.{mode}.p{p}.max_rps", m["max"]["rps"])
                    res.add(f"scaleout.{mode}.p{p}.pct_of_floor", 100 * m["max"]["rps"] / floor["rps"])
                    res.add(f"scaleout.{mode}.p{p}.redis_ops_per_hit", m["redis_ops_per_hit"])
                    res.add(f"scaleout.{mode}.p{p}.hits_per_script_call", m["hits_per_script_call"])
                    res.add(f"scaleout.{mode}.p{p}.script_us_per_hit", m["script_us_per_hit"])
                    res.add(f"scaleout.{mode}.p{p}.hits_lost", m["lost"])
                    errors = m["max"]["errors"] + m["max"]["non_2xx"]
                    if errors:
                        res.notes.append(f"{errors} load generator errors or non-2xx, {mode}, {p} process(es)")
            for mode in MODES:
                for p in counts[1:]:
                    res.add(f"scaleout.{mode}.scaling_p{p}_over_p1",
                            per_run[f"{mode}.p{p}"]["max"]["rps"] / per_run[f"{mode}.p1"]["max"]["rps"])
            res.details["runs"].append(per_run)
    finally:
        cluster.stop()
    res.notes.append(f"the load generator, the web processes and every Redis node share this {ctx.cores}-core "
                     "machine: past 1 process the rates show contention for the cores, not the application's limit")
    return res
