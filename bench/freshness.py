"""Item 7: freshness, from a hit accepted to the number being visible.

The whole stack runs with default settings: uvicorn (`nowmetrix.asgi`), a Celery worker and
Celery beat (the tick every NOWMETRIX_SNAPSHOT_INTERVAL_SECS, 1 s). The tracker has live
background visitors. Each sample sends one pageview of a new visitor to `/collect`; from the
moment the 204 arrives, three observers watch `total_pageviews_today` go up: the stored
snapshot in Redis (polled every 5 ms), `/v1/realtime` with `Cache-Control: no-cache` (polled
every 20 ms) and a logged-in dashboard WebSocket (frames timestamped on receipt, in a thread).
Samples are spaced by a random pause so they fall at every phase of the tick. Only the
per-key rate limit is raised, for the 20 ms poller.

Two phases, each with its own worker and beat: `freshness.*` with the watched trackers' fast
rebuilds off (NOWMETRIX_WATCHED_INTERVAL_MS=0: the one-second tick alone, the floor this
feature improves on), then `freshness.watched.*` with the default (the open dashboard makes the
tracker watched, so it is rebuilt within 200 ms of a change)."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from types import SimpleNamespace

from bench import synthetic, traffic
from bench.appstack import http_get, pageviews_today
from bench.report import SectionResult
from realtime import live_state
from realtime.payloads import DELTA_FORMAT

TIMEOUT_SECS = 6.0


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1)]


class SocketWatcher(threading.Thread):
    """A dashboard WebSocket: records (receipt time, pageviews today) of every snapshot frame."""

    def __init__(self, port: int, site: str, cookie: str):
        super().__init__(daemon=True)
        self.url = f"ws://127.0.0.1:{port}/ws/trackers/{site}/?deltas={DELTA_FORMAT}"  # as the page opens it
        self.headers = {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
        self.seen: list[tuple[float, int]] = []
        self.error = ""
        self.ready = threading.Event()
        self.stopping = False

    def run(self) -> None:
        from websockets.exceptions import ConnectionClosed, InvalidStatus
        from websockets.sync.client import connect

        try:
            with connect(self.url, additional_headers=self.headers, open_timeout=10, max_size=None) as ws:
                while not self.stopping:
                    try:
                        message = ws.recv(timeout=0.5)
                    except TimeoutError:
                        self.ready.set()
                        continue
                    count = pageviews_today(message)
                    if count is not None:
                        self.seen.append((time.monotonic(), count))
                        self.ready.set()
        except InvalidStatus as exc:
            self.error = f"WebSocket handshake refused: HTTP {exc.response.status_code}"
        except ConnectionClosed as exc:
            if not self.stopping:
                self.error = f"WebSocket closed by the server: code {exc.rcvd.code if exc.rcvd else '?'}"
        except OSError as exc:
            self.error = f"WebSocket failed: {exc}"
        finally:
            self.ready.set()

    def first_at_least(self, count: int, since: float) -> float | None:
        for t, n in self.seen:
            if n >= count and t >= since:
                return t
        return None


def _stored_count(site: str) -> int:
    stored = live_state.snapshot_get(site)
    return pageviews_today(stored.realtime) if stored else -1


def _send_hit(port: int, site: str, n: int) -> None:
    body = json.dumps({"s": site, "e": "pv", "u": f"https://{traffic.HOST}/fresh/{n}", "t": "Fresh"})
    ip = f"198.51.{n // 250 % 250}.{n % 250 + 1}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", "/collect", body=body, headers={
            "User-Agent": traffic.USER_AGENTS[n % 18], "X-Forwarded-For": ip, "Content-Type": "text/plain"})
        resp = conn.getresponse()
        resp.read()
        if resp.status != 204:
            raise RuntimeError(f"/collect answered {resp.status}")
    finally:
        conn.close()


def run(ctx) -> SectionResult:
    res = SectionResult("freshness")
    samples = 2 if ctx.quick else 30
    env = ctx.env
    stack = ctx.app_stack()
    tracker = stack.tracker("fresh")
    site = tracker.public_id
    config = synthetic.publish_tracker(site, account_id=tracker.account_id, pk=tracker.pk)
    synthetic.load_visitors(config, 1_000 if ctx.quick else 10_000, seed=55)
    ctx.quiet_other_trackers(keep={site})

    # The poller asks every 20 ms, far above the default per-key limit: it must not read 429s.
    server = env.uvicorn("nowmetrix.asgi:application", workers=1, name="fresh",
                         env=env.environ(NOWMETRIX_RATE_LIMIT_PER_MIN="1000000000"))
    watcher = None
    try:
        auth = {"Authorization": stack.bearer, "Cache-Control": "no-cache"}
        # The dashboard socket is open throughout, so the tracker is watched; the first phase
        # turns the workers' fast rebuilds off (the one-second tick alone, as before issue 16),
        # the second runs the default (rebuilt every NOWMETRIX_WATCHED_INTERVAL_MS when changed).
        watcher = SocketWatcher(server.port, site, stack.session_cookie())
        watcher.start()
        watcher.ready.wait(15)
        if watcher.error:
            res.skip("freshness.ws", watcher.error)
            res.skip("freshness.watched.ws", watcher.error)
        for phase, key_prefix, fast_ms in (("tick", "freshness", "0"), ("watched", "freshness.watched", None)):
            extra = {} if fast_ms is None else {"NOWMETRIX_WATCHED_INTERVAL_MS": fast_ms}
            _phase(ctx, res, server, site, auth, watcher, phase, key_prefix, env.environ(**extra), samples)
    finally:
        if watcher is not None:
            watcher.stopping = True
            watcher.join(3)
        env.stop(server)
    res.notes.append("Celery worker --concurrency 1 and beat with default NOWMETRIX_* settings (tick every 1 s); "
                     "freshness.* with NOWMETRIX_WATCHED_INTERVAL_MS=0 (tick only), freshness.watched.* with the "
                     "default 200 ms fast rebuilds of watched trackers")
    return res


def _phase(ctx, res: SectionResult, server, site: str, auth: dict, watcher: SocketWatcher, phase: str,
           key_prefix: str, worker_env: dict, samples: int) -> None:
    env = ctx.env
    beat_schedule = env.tmp / f"celerybeat-schedule-{phase}"
    worker = env.spawn(f"celery-worker-{phase}", [env.python, "-m", "celery", "-A", "nowmetrix", "worker",
                                                  "--loglevel", "WARNING", "--concurrency", "1", "--without-gossip",
                                                  "--without-mingle"], env=worker_env)
    beat = env.spawn(f"celery-beat-{phase}", [env.python, "-m", "celery", "-A", "nowmetrix", "beat", "--loglevel",
                                              "WARNING", "--schedule", str(beat_schedule)], env=worker_env)
    try:
        # A snapshot built by this phase's worker: the previous phase's is there already.
        started, deadline = time.time(), time.monotonic() + 30
        while (live_state.snapshot_get(site) or SimpleNamespace(built_at=0.0)).built_at <= started:
            if time.monotonic() > deadline:
                raise RuntimeError("no snapshot was built within 30 s: is the Celery tick running?\n"
                                   + worker.log_tail() + beat.log_tail())
            time.sleep(0.1)
        path = f"/v1/realtime?site={site}"
        status, _, _ = http_get(server.port, path, auth)
        api_ok = status == 200
        if not api_ok:
            res.skip(f"{key_prefix}.api", f"/v1/realtime answered {status}")
        api_conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        rng = random.Random(5)
        n_sent = 0
        first_n = 0 if phase == "tick" else 10_000
        per_run = max(1, samples // ctx.runs) if not ctx.quick else samples
        for run_i in range(ctx.runs if not ctx.quick else 1):
            store_ms, api_ms, ws_ms = [], [], []
            for _ in range(per_run):
                time.sleep(rng.uniform(0.1, 1.1))
                before = _stored_count(site)
                n_sent += 1
                _send_hit(server.port, site, first_n + n_sent + 1000 * run_i)
                t0 = time.monotonic()
                want = before + 1
                got_store = got_api = None
                next_api = t0
                while time.monotonic() - t0 < TIMEOUT_SECS:
                    now = time.monotonic()
                    if got_store is None and _stored_count(site) >= want:
                        got_store = now
                    if api_ok and got_api is None and now >= next_api:
                        status, _, body = http_get(server.port, path, auth, conn=api_conn)
                        if (pageviews_today(body) or -1) >= want:
                            got_api = time.monotonic()
                        next_api = now + 0.02
                    ws_done = watcher.error or watcher.first_at_least(want, t0) is not None
                    if got_store is not None and (got_api is not None or not api_ok) and ws_done:
                        break
                    time.sleep(0.005)
                for values, got in ((store_ms, got_store), (api_ms, got_api)):
                    if got is not None:
                        values.append((got - t0) * 1000)
                got_ws = None if watcher.error else watcher.first_at_least(want, t0)
                if got_ws is not None:
                    ws_ms.append((got_ws - t0) * 1000)
            for name, values in (("store", store_ms), ("api", api_ms), ("ws", ws_ms)):
                if values:
                    res.add(f"{key_prefix}.{name}_p50_ms", _percentile(values, 50))
                    res.add(f"{key_prefix}.{name}_p95_ms", _percentile(values, 95))
                res.details.setdefault(f"{phase}_{name}_samples_ms", []).extend(round(v, 1) for v in values)
        res.details[f"{phase}_samples_sent"] = n_sent
        if api_ok and not res.details.get(f"{phase}_api_samples_ms"):
            res.skip(f"{key_prefix}.api", "/v1/realtime never showed the new pageview within the timeout")
        if not watcher.error and not res.details.get(f"{phase}_ws_samples_ms"):
            res.skip(f"{key_prefix}.ws", "no dashboard frame showed the new pageview within the timeout")
        api_conn.close()
    finally:
        for proc in (beat, worker):
            env.stop(proc)
