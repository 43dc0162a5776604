"""Pacing: send the traffic at a steady rate through a pool of connections, recording the truth."""

from __future__ import annotations

import asyncio
import json
import random
import signal
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode, urlsplit

from devstack.simulator.client import HttpPool
from devstack.simulator.traffic import Hit, Traffic, Visitor
from devstack.simulator.truth import Truth


@dataclass
class Options:
    base_url: str
    site: str
    host: str = "localhost"
    visitors: int = 50  # visitors on the site at once; one who leaves is replaced by a new one
    rate: float = 20.0  # hits per second, all visitors together
    duration: float = 60.0  # seconds; 0 runs until stopped
    seed: int | None = None
    bots: bool = False
    connections: int = 8
    window_secs: int = 300  # the tracker's live window, for the truth's expiry


async def send(pool: HttpPool, truth: Truth, v: Visitor, hit: Hit) -> None:
    origin = urlsplit(hit.fields["u"])
    headers = {"User-Agent": v.agent.ua, "X-Forwarded-For": v.ip, "Referer": f"{origin.scheme}://{origin.netloc}/"}
    try:
        if hit.pixel:
            status = await pool.request("GET", "/pixel.gif?" + urlencode(hit.fields), headers | {"Accept": "image/*"})
        else:
            body = json.dumps(hit.fields, ensure_ascii=False, separators=(",", ":")).encode()
            status = await pool.request("POST", "/collect", headers | {"Content-Type": "text/plain;charset=UTF-8"},
                                        body)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        truth.errors, truth.last_error = truth.errors + 1, repr(exc)
        return
    if status in (200, 204):
        truth.record(v, hit, time.time())
    else:
        truth.errors, truth.last_error = truth.errors + 1, f"HTTP {status}"


async def run(options: Options, stop: asyncio.Event | None = None,
              progress: Callable[[Truth], None] | None = None, progress_secs: float = 30.0) -> Truth:
    """Send traffic at `options.rate` until `options.duration` passes or `stop` is set. A
    visitor's next hit waits for the answer to its last, so each visitor's hits arrive in order
    (and a fixed seed sends the same hits)."""
    rng, stop = random.Random(options.seed), stop or asyncio.Event()
    traffic, truth = Traffic(options.site, options.host, rng, options.bots), Truth(options.window_secs)
    pool = HttpPool(options.base_url, options.connections)
    slots = [traffic.new_visitor() for _ in range(options.visitors)]
    inflight: list[asyncio.Task | None] = [None] * len(slots)
    loop = asyncio.get_running_loop()
    started = next_at = next_progress = loop.time()
    while not stop.is_set() and (options.duration <= 0 or loop.time() < started + options.duration):
        i = rng.randrange(len(slots))
        if inflight[i] is not None:
            await inflight[i]
        visitor = slots[i]
        hit = traffic.next_hit(visitor)
        if visitor.done:
            slots[i] = traffic.new_visitor()
        inflight[i] = asyncio.create_task(send(pool, truth, visitor, hit))
        next_at = max(next_at + 1 / options.rate, loop.time() - 1.0)  # a stall never turns into a burst
        if progress and loop.time() >= next_progress + progress_secs:
            next_progress = loop.time()
            progress(truth)
        try:
            await asyncio.wait_for(stop.wait(), max(0.0, next_at - loop.time()))
        except asyncio.TimeoutError:
            pass
    await asyncio.gather(*(task for task in inflight if task is not None))
    pool.close()
    return truth


def run_until_signalled(options: Options, progress: Callable[[Truth], None] | None = None) -> Truth:
    """`run` in a new event loop; SIGINT and SIGTERM end it cleanly (in-flight hits are answered)."""

    async def main() -> Truth:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        return await run(options, stop, progress)

    return asyncio.run(main())
