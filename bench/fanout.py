"""Item 8: fan-out. 1,000 logged-in dashboard WebSockets watch one tracker (the API tracker,
100,000 active visitors, so frames have their production size); once every client has its
initial frame, one new snapshot is built, stored and announced through the channel layer
(`events.announce_snapshots`, as the tick does). Each client timestamps the frame's receipt;
the delay is measured from the moment the announce starts.

All clients run in this one asyncio process (the file-descriptor limit is raised for it), on
the same 2 cores as the server: receipt times include the clients' own reading. Clients offer
permessage-deflate, as browsers do; in full mode one more run without it shows what
compressing every client's copy of the frame costs."""

from __future__ import annotations

import asyncio
import statistics
import time

from bench.api import prepare
from bench.report import SectionResult
from realtime import events, snapshot

CLIENTS = 1_000
CONNECT_CONCURRENCY = 50


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1)]


async def _fanout_once(url: str, headers: dict, clients: int, config, drain_secs: float,
                       deflate: bool = True) -> dict:
    from websockets.asyncio.client import connect

    sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
    conns = []
    failures: list[str] = []

    async def open_one():
        async with sem:
            try:
                ws = await connect(url, additional_headers=headers, open_timeout=30, max_size=None,
                                   ping_interval=None, compression="deflate" if deflate else None)
                await asyncio.wait_for(ws.recv(decode=False), 15)  # the initial snapshot
                conns.append(ws)
            except Exception as exc:  # noqa: BLE001 - a harness counts any failed client and goes on
                failures.append(type(exc).__name__ + ": " + str(exc)[:120])

    t_connect = time.monotonic()
    await asyncio.gather(*(open_one() for _ in range(clients)))
    connect_secs = time.monotonic() - t_connect
    if not conns:
        return {"connected": 0, "failures": failures[:5]}
    await asyncio.sleep(drain_secs)  # let late initial frames drain
    for ws in conns:
        while True:
            try:
                await asyncio.wait_for(ws.recv(decode=False), 0.001)
            except (asyncio.TimeoutError, TimeoutError):
                break

    received: list[float] = []

    async def wait_one(ws, t_pub_box):
        try:
            await asyncio.wait_for(ws.recv(decode=False), 10)
            received.append(time.monotonic())
        except Exception:  # noqa: BLE001 - a client that got nothing is counted as missing
            pass

    stored = snapshot.store(config, snapshot.build(config, time.time()))
    announcement = events.Announcement(config.account_id, config.public_id, stored)
    box: list[float] = []
    waiters = [asyncio.create_task(wait_one(ws, box)) for ws in conns]
    await asyncio.sleep(0.05)
    t_pub = time.monotonic()
    await asyncio.to_thread(events.announce_snapshots, [announcement])
    await asyncio.gather(*waiters)
    await asyncio.gather(*(ws.close() for ws in conns), return_exceptions=True)
    delays = [(t - t_pub) * 1000 for t in received]
    return {"connected": len(conns), "connect_secs": round(connect_secs, 2), "received": len(delays),
            "frame_bytes": len(stored.realtime) + len(stored.extras), "failures": failures[:5],
            "permessage_deflate": deflate,
            "delays_ms": delays}


def run(ctx) -> SectionResult:
    res = SectionResult("fanout")
    clients = 200 if ctx.quick else CLIENTS
    stack = ctx.app_stack()
    tracker, config = prepare(ctx, 10_000 if ctx.quick else 100_000)
    ctx.quiet_other_trackers(keep={tracker.public_id})
    server = ctx.env.uvicorn("nowmetrix.asgi:application", workers=1, name="fanout")
    res.details = {"clients": clients, "runs": []}
    try:
        url = f"ws://127.0.0.1:{server.port}/ws/trackers/{tracker.public_id}/"
        headers = {"Cookie": stack.session_cookie(), "Origin": f"http://127.0.0.1:{server.port}"}
        probe = asyncio.run(_probe(url, headers))
        if probe:
            res.skip("fanout", probe)
            return res
        for _ in range(ctx.runs):
            out = asyncio.run(_fanout_once(url, headers, clients, config, 0.5 if ctx.quick else 1.5))
            delays = out.pop("delays_ms", [])
            res.details["runs"].append(out)
            res.add("fanout.clients", out["connected"])
            res.add("fanout.received_pct", 100 * len(delays) / clients)
            if delays:
                res.add("fanout.p50_ms", statistics.median(delays))
                res.add("fanout.p95_ms", _percentile(delays, 95))
                res.add("fanout.max_ms", max(delays))
        if not ctx.quick:
            # The same without permessage-deflate (browsers offer it, so the figure above keeps
            # it): tells the cost of compressing each client's copy from the rest.
            out = asyncio.run(_fanout_once(url, headers, clients, config, 1.5, deflate=False))
            delays = out.pop("delays_ms", [])
            res.details["runs"].append(out)
            if delays:
                res.add("fanout.p95_ms_no_deflate", _percentile(delays, 95))
        else:
            res.skip("fanout.p95_ms_no_deflate", "skipped in quick mode")
    finally:
        ctx.env.stop(server)
    if ctx.quick:
        res.notes.append(f"quick mode: {clients} clients, not {CLIENTS}")
    res.notes.append("one uvicorn worker serves every client (Channels groups are per process; with several "
                     "workers each would carry a share)")
    return res


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
