"""Helpers of the fault tests: the test process on a private Redis, Ingestors on a driven
clock, the ground truth of the traffic sent, and the check that the counts equal it."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from realtime import keys, live_state, services
from realtime.ingest.hits import Client
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.payload import parse_beacon
from realtime.ingest.visitor import local_date, page_id
from realtime.live_state import clients
from realtime.tests.traffic import DESKTOP_CHROME

HOST = "planet.example"
PATHS = ["/", "/politics", "/sport", "/weather", "/a/long-read"]


def use_redis(settings, url: str) -> None:
    """Point this process's live-state clients (sync and async) at `url`."""
    settings.REDIS_URL = url
    clients.clients_reset()


@contextmanager
def private_redis(settings, url: str):
    original = settings.REDIS_URL
    use_redis(settings, url)
    try:
        yield
    finally:
        use_redis(settings, original)


class Clock:
    """A driven clock, by default at noon UTC today: far from any local midnight of the tests'
    time zones, so that "today" is one date."""

    def __init__(self, now: float | None = None):
        self.now = now if now is not None else time.time() // 86400 * 86400 + 12 * 3600

    def __call__(self) -> float:
        return self.now


def visitor_ip(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@dataclass
class Sent:
    """What was sent and accepted: the truth the counts must equal."""

    site: str
    host: str = HOST
    pageviews: Counter = field(default_factory=Counter)  # path -> pageviews
    last_seen: dict[int, float] = field(default_factory=dict)  # visitor -> time of their last hit

    def beacon(self, visitor: int, path: str, t: float, kind: str = "pv") -> tuple[bytes, str]:
        if kind == "pv":
            self.pageviews[path] += 1
        self.last_seen[visitor] = max(t, self.last_seen.get(visitor, 0))
        body = f'{{"s": "{self.site}", "e": "{kind}", "u": "https://{self.host}{path}"}}'.encode()
        return body, visitor_ip(visitor)


def send(ingestor: Ingestor, sent: Sent, clock: Clock, *, seconds: int, per_second: int, visitors: int,
         first: int = 0) -> int:
    """`seconds` of driven time at `per_second` hits (pageviews, and a heartbeat every fourth
    hit) from `visitors` visitors, accepted by `ingestor`; returns the hits sent."""
    n = 0
    for _second in range(seconds):
        for i in range(per_second):
            visitor = first + (n % visitors)
            path = PATHS[(n // visitors) % len(PATHS)]
            body, ip = sent.beacon(visitor, path, clock.now, "hb" if n % 4 == 3 else "pv")
            assert ingestor.accept_nowait(parse_beacon(body), Client(ip, DESKTOP_CHROME, False)) is None
            clock.now += 1 / per_second
            n += 1
    return n


async def flush_for(ingestor: Ingestor, real_secs: float) -> None:
    """Run the flusher as it runs in a server, for a while of real time (retries and the
    spool's cadence are on the real clock)."""
    deadline = time.monotonic() + real_secs
    while time.monotonic() < deadline:
        await ingestor.flush()
        await asyncio.sleep(ingestor.flush_secs)


async def drain(ingestor: Ingestor, timeout: float = 60.0) -> None:
    """Flush until nothing is held in memory or in the spool (the timeout only ends a hang: a loaded
    machine replays slowly)."""
    deadline = time.monotonic() + timeout
    while True:
        await ingestor.flush()
        if not ingestor.memory_hits_held and not ingestor.spool.has_ready and not ingestor.spool.hits:
            await ingestor.flush()  # the spool's last replay step (its end is logged)
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the ingestor still holds {ingestor.memory_hits_held} hits in memory and "
                                 f"{ingestor.spool.hits} in its spool")
        await asyncio.sleep(0.02)


def pageviews_by_path(site: str, host: str, date: str) -> dict[str, int]:
    """Today's pageviews per page, read from the live state."""
    stored = live_state.client().hgetall(keys.tracker_key(site, keys.DAY_PAGEVIEWS, date))
    by_id = {page_id(host, path): path for path in PATHS}
    return {by_id.get(pid, pid): int(n) for pid, n in stored.items()}


def assert_counts_equal_the_traffic(sent: Sent, now: float) -> dict:
    """Today's pageviews (total and per page), active users and uniques equal what was sent."""
    config = live_state.tracker_config_get(sent.site)
    assert config is not None
    snap = services.tracker_tick(config, now, announce=False).realtime
    date = local_date(config.timezone, now)
    assert live_state.drops_get(sent.site, date) == {}  # nothing dropped, nothing lost to the caps
    assert snap["total_pageviews_today"] == sum(sent.pageviews.values())
    assert pageviews_by_path(sent.site, sent.host, date) == dict(sent.pageviews)
    active = sum(1 for t in sent.last_seen.values() if t > now - config.window_secs)
    assert snap["total_realtime"] == active
    # HyperLogLog: exact in practice at this size; within its 0.81% standard error.
    assert abs(snap["total_unique_visitors_today"] - len(sent.last_seen)) <= max(1, len(sent.last_seen) // 50)
    return snap
