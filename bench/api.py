"""Item 6: `/v1/realtime` with the microcache warm, against two floors in the same run.

The tracker holds 100,000 active visitors (10,000 in quick mode) and a stored snapshot. The
API is served by `nowmetrix.asgi:application` under uvicorn with 1 and with 2 worker
processes (the production recommendation is one worker per core: both are measured, which is
the evidence), each loaded closed-loop with one API key. The floors serve the very bytes the
API answered, under the same server and worker count: a bare ASGI app, and a bare Django
(no middleware) sync view returning a `JsonResponse` of the same data, which serializes it on
every request as a plain Django view does. A third floor, the same Django returning the
pre-serialized bytes in an `HttpResponse`, isolates Django's request cycle from the JSON
encoding (full runs only). A cache miss is a request with
`Cache-Control: no-cache` (the API then reads the stored snapshot from Redis), timed one at a
time on a keep-alive connection.

The per-key rate limit is raised for the run (NOWMETRIX_RATE_LIMIT_PER_MIN): otherwise the
load would measure 429s."""

from __future__ import annotations

import http.client
import os
import statistics
import time

from bench import synthetic
from bench.appstack import http_get
from bench.report import SectionResult
from bench.traffic import Request
from realtime import services

CONNECTIONS = 32
RATE_LIMIT = "1000000000"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1)]


def prepare(ctx, visitors: int):
    """The API tracker, loaded with `visitors` and a stored snapshot (done once per bench run)."""
    if ctx.api_tracker is None:
        stack = ctx.app_stack()
        tracker = stack.tracker("api")
        config = synthetic.publish_tracker(tracker.public_id, account_id=tracker.account_id, pk=tracker.pk)
        synthetic.load_visitors(config, visitors, seed=77)
        ctx.api_tracker = (tracker, config)
    tracker, config = ctx.api_tracker
    services.tracker_tick(config, time.time(), announce=False)
    return tracker, config


def run(ctx) -> SectionResult:
    res = SectionResult("api")
    visitors = 10_000 if ctx.quick else 100_000
    seconds, warm = (1, 1) if ctx.quick else (5, 2)
    misses = 50 if ctx.quick else 300
    stack = ctx.app_stack()
    tracker, _config = prepare(ctx, visitors)
    path = f"/v1/realtime?site={tracker.public_id}"
    auth = {"Authorization": stack.bearer}
    env = ctx.env
    server_env = env.environ(NOWMETRIX_RATE_LIMIT_PER_MIN=RATE_LIMIT)
    prod_workers = max(1, min(ctx.cores, 4))

    servers = {prod_workers: env.uvicorn("nowmetrix.asgi:application", workers=prod_workers, env=server_env,
                                         name="api")}
    status, headers, body = http_get(servers[prod_workers].port, path, auth)
    if status != 200:
        env.stop(servers[prod_workers])
        reason = f"/v1/realtime answered {status}" + (" (not implemented yet)" if status == 404 else "")
        res.skip("api", reason)
        return res
    body_file = env.tmp / "realtime-body.json"
    body_file.write_bytes(body)
    res.details = {"visitors": visitors, "response_bytes": len(body), "connections": CONNECTIONS,
                   "production_workers": prod_workers, "rate_limit_per_min": int(RATE_LIMIT), "runs": []}
    request = [Request("GET", path, tuple(auth.items()))]
    floor_env = env.environ(NMBENCH_BODY_FILE=str(body_file))

    for _ in range(ctx.runs):
        per_run: dict = {}
        for workers in sorted({prod_workers} if ctx.quick else {1, 2, prod_workers}):
            srv = servers.pop(workers, None) or env.uvicorn("nowmetrix.asgi:application", workers=workers,
                                                            env=server_env, name="api")
            try:
                ctx.loadgen.run(srv.port, request, seconds=warm, connections=CONNECTIONS)
                status, headers, _ = http_get(srv.port, path, auth)
                per_run[f"cache_header_w{workers}"] = headers.get("x-nowmetrix-microcache")
                per_run[f"w{workers}"] = ctx.loadgen.run(srv.port, request, seconds=seconds,
                                                         connections=CONNECTIONS).as_dict()
                if workers == prod_workers:
                    per_run["miss_ms"] = _misses(srv.port, path, auth, misses)
            finally:
                env.stop(srv)
        floors = [("floor_asgi", "bench.floors:bytes_app"), ("floor_django", "bench.floors:django_app")]
        if not ctx.quick:
            floors.append(("floor_django_bytes", "bench.floors:django_bytes_app"))
        for name, app in floors:
            srv = env.uvicorn(app, workers=prod_workers, env=floor_env, name=name)
            try:
                status, _, floor_body = http_get(srv.port, path)
                if floor_body != body:
                    res.notes.append(f"{name} body differs from the API's ({len(floor_body)} vs {len(body)} bytes)")
                if not ctx.quick:
                    ctx.loadgen.run(srv.port, request, seconds=warm, connections=CONNECTIONS)
                per_run[name] = ctx.loadgen.run(srv.port, request, seconds=seconds, connections=CONNECTIONS).as_dict()
            finally:
                env.stop(srv)
        warm_result = per_run[f"w{prod_workers}"]
        bad = warm_result["non_2xx"] + warm_result["errors"]
        if bad:
            res.notes.append(f"{bad} non-2xx or failed API responses under load")
        res.add("api.warm_rps", warm_result["rps"])
        res.add("api.warm_p99_ms", warm_result["p99_ms"])
        for workers in (1, 2):
            if f"w{workers}" in per_run:
                res.add(f"api.warm_rps.w{workers}", per_run[f"w{workers}"]["rps"])
            else:
                res.unavailable[f"api.warm_rps.w{workers}"] = "skipped in quick mode"
        res.add("api.floor_asgi_rps", per_run["floor_asgi"]["rps"])
        res.add("api.floor_django_rps", per_run["floor_django"]["rps"])
        res.add("api.pct_of_django_floor", 100 * warm_result["rps"] / per_run["floor_django"]["rps"])
        res.add("api.pct_of_asgi_floor", 100 * warm_result["rps"] / per_run["floor_asgi"]["rps"])
        if "floor_django_bytes" in per_run:
            res.add("api.floor_django_bytes_rps", per_run["floor_django_bytes"]["rps"])
            res.add("api.pct_of_django_bytes_floor",
                    100 * warm_result["rps"] / per_run["floor_django_bytes"]["rps"])
        else:
            res.skip("api.floor_django_bytes_rps", "skipped in quick mode")
            res.skip("api.pct_of_django_bytes_floor", "skipped in quick mode")
        res.add("api.miss_p50_ms_100k", statistics.median(per_run["miss_ms"]))
        res.add("api.miss_p99_ms_100k", _percentile(per_run["miss_ms"], 99))
        per_run["miss_ms"] = {"n": len(per_run["miss_ms"]), "p50": statistics.median(per_run["miss_ms"]),
                              "p99": _percentile(per_run["miss_ms"], 99), "max": max(per_run["miss_ms"])}
        res.details["runs"].append(per_run)
    if ctx.quick:
        res.notes.append(f"quick mode: cache miss measured at {visitors:,} visitors, not 100,000")
    res.notes.append(f"production configuration measured: uvicorn --workers {prod_workers} (one per core, "
                     f"{os.cpu_count()} cores), uvloop, httptools, no access log")
    return res


def _misses(port: int, path: str, auth: dict[str, str], n: int) -> list[float]:
    headers = dict(auth, **{"Cache-Control": "no-cache"})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    out = []
    try:
        for _ in range(n):
            t0 = time.perf_counter()
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            out.append((time.perf_counter() - t0) * 1000)
            if resp.status != 200:
                raise RuntimeError(f"cache-miss request answered {resp.status}")
    finally:
        conn.close()
    return out
