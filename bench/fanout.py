"""Item 8: fan-out. Logged-in dashboard WebSockets (1,000, then 5,000) watch one tracker with
100,000 active visitors under steady traffic: 100,000 / 300 s = 333 new visitors arrive every
second while as many leave, and the bench plays the tick once a second (expire, build, store,
announce through the channel layer, as `services.tick` does). For every frame each client
notes its receipt; the delay is measured from the moment the announce starts, and bytes per
dashboard per second are the payload bytes a client received over the publication seconds.

Phases, with the same clients:
- `full` (before; 1,000 dashboards only: 5,000 would be over a gigabyte a second): each build
  is announced as the whole snapshot frame, as before delta frames;
- `delta` (now): each build is announced as its delta frame;
- `floor`: a bare WebSocket server (bench/fanout_floor.py) broadcasts the very frames the
  `delta` (and `full`) phase published, at the same pace, to the same number of clients.

Clients live in several processes (bench/fanout_clients.py, 1,000 sockets each), on the same 2
cores as the server: receipt times include the clients' own reading. They offer
permessage-deflate, as browsers do; the server declines it (devstack.processes.UVICORN_ARGS).
One uvicorn worker serves every client."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import replace

from bench import synthetic
from bench.fanout_clients import CLIENTS_PER_PROCESS, ClientProcess
from bench.report import SectionResult
from realtime import events, services
from realtime.payloads import DELTA_FORMAT

SIZES = (1_000, 5_000)
QUICK_CLIENTS = 200
VISITORS, QUICK_VISITORS = 100_000, 10_000
WINDOW_SECS = 300
FULL_SECS, DELTA_SECS, QUICK_SECS = 8, 15, 3
DRAIN_SECS = 2.0  # after the last publication, for stragglers
QUIET_SECS = 1.5  # a phase starts once no frame arrived for this long (the previous one is over)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1)]


class Tracker:
    """The measured tracker, its live state kept at `visitors` under steady arrivals."""

    def __init__(self, ctx, visitors: int):
        stack = ctx.app_stack()
        tracker = stack.tracker("fanout")
        self.site = tracker.public_id
        self.config = synthetic.publish_tracker(self.site, account_id=tracker.account_id, pk=tracker.pk)
        self.arrivals = visitors * 1 // WINDOW_SECS
        self.universe = synthetic.Universe.make()
        self.rng = random.Random(8)
        self.announce_ms: list[float] = []  # how long announcing took (the announcer's own share of the delay)
        now = time.time()
        slices = 60
        for i in range(slices):  # last seen spread over the window: as many leave as arrive
            synthetic.load_visitors(self.config, visitors // slices, now=now - i * (WINDOW_SECS - 5) / slices,
                                    universe=self.universe, seed=1000 + i)
        ctx.quiet_other_trackers(keep={self.site})
        self.build(time.time())

    def build(self, now: float):
        """New arrivals, then the tick's work; the stored snapshot, not yet announced."""
        synthetic.load_visitors(self.config, self.arrivals, now=now, universe=self.universe,
                                seed=self.rng.randrange(1 << 30))
        built: list[events.Announcement] = []
        services.tracker_tick(self.config, now, announcements=built)
        return built[0]


def _publish(tracker: Tracker, secs: int, full: bool) -> tuple[dict[int, float], list[str]]:
    """One build a second for `secs` seconds; returns publication times by seq and the frames."""
    published: dict[int, float] = {}
    sent: list[str] = []
    next_at = time.time()
    for _ in range(secs):
        announcement = tracker.build(time.time())
        if full:
            announcement = replace(announcement, snapshot=replace(announcement.snapshot, delta=None))
        sent.append(events.snapshot_event(tracker.site, announcement.snapshot)["frame"])
        published[announcement.snapshot.seq] = time.time()
        events.announce_snapshots([announcement])
        tracker.announce_ms.append((time.time() - published[announcement.snapshot.seq]) * 1000)
        next_at += 1.0
        time.sleep(max(0.0, next_at - time.time()))
    return published, sent


def _replay(port: int, frames: list[str]) -> dict[int, float]:
    """Publish `frames` through the floor server at one a second; publication times by seq."""
    from bench.fanout_clients import _SEQ
    from websockets.sync.client import connect

    published: dict[int, float] = {}
    with connect(f"ws://127.0.0.1:{port}/control", max_size=None, compression=None) as control:
        next_at = time.time()
        for frame in frames:
            published[int(_SEQ.search(frame.encode(), 0, 64).group(1))] = time.time()
            control.send(frame)
            next_at += 1.0
            time.sleep(max(0.0, next_at - time.time()))
    return published


class Clients:
    """`count` dashboard sockets over as many client processes as needed."""

    def __init__(self, count: int):
        self.count = count
        self.procs = [ClientProcess() for _ in range(-(-count // CLIENTS_PER_PROCESS))]

    def connect(self, url: str, headers: dict) -> tuple[int, list[str]]:
        share = [self.count // len(self.procs) + (i < self.count % len(self.procs)) for i in range(len(self.procs))]
        for proc, n in zip(self.procs, share):
            proc.send("connect", url, headers, n)
        replies = [proc.reply() for proc in self.procs]
        return sum(r[1] for r in replies), [f for r in replies for f in r[2]]

    def measure(self, publish) -> tuple[dict[int, float], list[list], object]:
        """Once the sockets are idle, record while `publish()` runs (returns (published, extra));
        every socket's records."""
        for proc in self.procs:
            proc.send("quiet", QUIET_SECS)
        for proc in self.procs:
            proc.reply()
        for proc in self.procs:
            proc.send("record")
        for proc in self.procs:
            proc.reply()
        published, extra = publish()  # which waits DRAIN_SECS for stragglers (`_with_cpu`)
        for proc in self.procs:
            proc.send("stop")
        records = [r for proc in self.procs for r in proc.reply()[1]]
        return published, records, extra

    def disconnect(self) -> None:
        for proc in self.procs:
            proc.send("disconnect")
        for proc in self.procs:
            proc.reply()

    def close(self) -> None:
        for proc in self.procs:
            proc.close()


def _cpu_secs(pid: int) -> float:
    """User + system CPU seconds the process has used (Linux /proc): what a fan-out costs the
    server whatever else the shared machine runs meanwhile."""
    import os

    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _with_cpu(pid: int, publish):
    """`publish` wrapped to note the CPU seconds `pid` spent while it ran and drained."""
    box: dict = {}

    def run():
        before = _cpu_secs(pid)
        out = publish()
        time.sleep(DRAIN_SECS)
        box["cpu_secs"] = _cpu_secs(pid) - before
        return out

    return run, box


def _cpu_us_per_frame(box: dict, records: list[list]) -> float | None:
    delivered = sum(len(r) for r in records)
    return box["cpu_secs"] * 1e6 / delivered if delivered else None


def _figures(published: dict[int, float], records: list[list], secs: int) -> dict:
    delays = [(at - published[seq]) * 1000 for per_socket in records for seq, at, _n in per_socket if seq in published]
    per_sec = [sum(n for _seq, _at, n in per_socket) / secs for per_socket in records]
    expected = len(published) * len(records)
    out = {"frames": len(published), "received_pct": 100 * len(delays) / expected if expected else 0.0,
           "bytes_per_sec": statistics.median(per_sec) if per_sec else None}
    if delays:
        out.update(p50_ms=statistics.median(delays), p95_ms=_percentile(delays, 95), max_ms=max(delays))
    return out


def run(ctx) -> SectionResult:
    res = SectionResult("fanout")
    sizes = (QUICK_CLIENTS,) if ctx.quick else SIZES
    secs_full, secs_delta = (QUICK_SECS, QUICK_SECS) if ctx.quick else (FULL_SECS, DELTA_SECS)
    visitors = QUICK_VISITORS if ctx.quick else VISITORS
    tracker = Tracker(ctx, visitors)
    stack = ctx.app_stack()
    server = ctx.env.uvicorn("nowmetrix.asgi:application", workers=1, name="fanout")
    res.details = {"visitors": visitors, "arrivals_per_sec": tracker.arrivals, "runs": []}
    try:
        url = f"ws://127.0.0.1:{server.port}/ws/trackers/{tracker.site}/?deltas={DELTA_FORMAT}"  # as the page opens it
        headers = {"Cookie": stack.session_cookie(), "Origin": f"http://127.0.0.1:{server.port}"}
        probe = asyncio.run(_probe(url, headers))
        if probe:
            res.skip("fanout", probe)
            return res
        for count in sizes:
            key = "fanout.d1000" if count <= 1_000 else "fanout.d5000"
            clients = Clients(count)
            try:
                connected, failures = clients.connect(url, headers)
                run_details = {"dashboards": count, "connected": connected, "failures": failures[:5]}
                res.add(f"{key}.clients", connected)
                publish, cpu = _with_cpu(server.popen.pid, lambda: _publish(tracker, secs_delta, False))
                published, records, delta_frames = clients.measure(publish)
                delta = _figures(published, records, secs_delta)
                delta["server_cpu_us_per_frame"] = _cpu_us_per_frame(cpu, records)
                res.add(f"{key}.server_cpu_us", delta["server_cpu_us_per_frame"])
                run_details["delta"] = delta
                res.add(f"{key}.received_pct", delta["received_pct"])
                res.add(f"{key}.p50_ms", delta.get("p50_ms"))
                res.add(f"{key}.p95_ms", delta.get("p95_ms"))
                res.add(f"{key}.bytes_per_sec", delta["bytes_per_sec"])
                res.add("fanout.delta_frame_bytes", statistics.median(len(f.encode()) for f in delta_frames))
                full_frames: list[str] = []
                if count <= 1_000:  # after the deltas: whole frames leave a backlog behind them
                    published, records, full_frames = clients.measure(lambda: _publish(tracker, secs_full, True))
                    full = _figures(published, records, secs_full)
                    run_details["full"] = full
                    res.add(f"{key}.full_p95_ms", full.get("p95_ms"))
                    res.add(f"{key}.full_bytes_per_sec", full["bytes_per_sec"])
                    res.add("fanout.full_frame_bytes", statistics.median(len(f.encode()) for f in full_frames))
                run_details["announce_ms_median"] = statistics.median(tracker.announce_ms)
                tracker.announce_ms.clear()
                clients.disconnect()

                floor_port = _free_port()
                floor = ctx.env.spawn("fanout-floor", [ctx.env.python, "-m", "bench.fanout_floor", str(floor_port)])
                try:
                    _wait_port(floor_port, floor)
                    clients.connect(f"ws://127.0.0.1:{floor_port}/floor", {})
                    for name, frames in (("floor", delta_frames), ("full_floor", full_frames)):
                        if not frames:
                            continue
                        publish, cpu = _with_cpu(floor.popen.pid, lambda: (_replay(floor_port, frames), None))
                        published, records, _ = clients.measure(publish)
                        figures = _figures(published, records, len(frames))
                        figures["server_cpu_us_per_frame"] = _cpu_us_per_frame(cpu, records)
                        run_details[name] = figures
                        res.add(f"{key}.{name}_p95_ms", figures.get("p95_ms"))
                        if name == "floor":
                            res.add(f"{key}.floor_cpu_us", figures["server_cpu_us_per_frame"])
                    clients.disconnect()
                finally:
                    ctx.env.stop(floor)
                res.details["runs"].append(run_details)
            finally:
                clients.close()
        res.details["server_alive_after"] = asyncio.run(_probe(url, headers)) or "yes"
    finally:
        res.details["server_log_tail"] = server.log_tail(30)
        ctx.env.stop(server)
    if ctx.quick:
        res.notes.append(f"quick mode: {QUICK_CLIENTS} dashboards (reported as the 1,000 row), {visitors} visitors, "
                         f"{QUICK_SECS} s phases")
        res.skip("fanout.d5000", "skipped in quick mode")
    res.notes.append("one uvicorn worker serves every dashboard; clients in processes of "
                     f"{CLIENTS_PER_PROCESS} on the same cores")
    return res


def _free_port() -> int:
    from bench.env import free_port

    return free_port()


def _wait_port(port: int, proc) -> None:
    from bench.env import wait_port

    wait_port(port, 30, proc.popen)


async def _probe(url: str, headers: dict) -> str:
    """'' when a dashboard socket opens and sends a snapshot; else why not."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidStatus

    try:
        async with connect(url, additional_headers=headers, open_timeout=10, max_size=None) as ws:
            await asyncio.wait_for(ws.recv(), 10)
            return ""
    except InvalidStatus as exc:
        return f"dashboard WebSocket refused: HTTP {exc.response.status_code}"
    except ConnectionClosed as exc:
        return f"dashboard WebSocket closed by the server: code {exc.rcvd.code if exc.rcvd else '?'}"
    except (OSError, asyncio.TimeoutError, TimeoutError) as exc:
        return f"dashboard WebSocket failed: {type(exc).__name__} {exc}"
