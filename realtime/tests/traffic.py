"""Drive known hits through the real ingest pipeline (validation, enrichment, batched Lua
writes) in the test process, then build snapshots as the tick does."""

from __future__ import annotations

import asyncio
import json

from realtime import live_state, services
from realtime.ingest.hits import Client
from realtime.ingest.ingestor import Ingestor
from realtime.ingest.payload import Malformed, parse_beacon

DESKTOP_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/124.0.0.0 Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
IPAD = ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/16.6 Mobile/15E148 Safari/604.1")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

# Addresses the shipped GeoIP database places in known cities.
IP_US = "8.8.8.8"  # Mountain View, US
IP_GB = "81.2.69.142"  # London, GB


class Traffic:
    """Collects hits, sends them through an Ingestor at a given clock time, flushes."""

    def __init__(self, site: str, host: str, now: float):
        self.site, self.host, self.now = site, host, now
        self.ingestor = Ingestor(clock=lambda: self.now, config_ttl_secs=0)

    def hit(self, kind: str = "pv", path: str = "/", ip: str = IP_US, ua: str = DESKTOP_CHROME, **fields) -> str | None:
        payload = {"s": self.site, "e": kind, "u": f"https://{self.host}{path}", **fields}
        return self.raw(json.dumps(payload).encode(), ip=ip, ua=ua)

    def raw(self, body: bytes, ip: str = IP_US, ua: str = DESKTOP_CHROME, dnt: bool = False) -> str | None:
        async def run():
            try:
                hit = parse_beacon(body)
            except Malformed:
                self.ingestor.count_malformed()
                await self.ingestor.flush()
                return "malformed"
            reason = await self.ingestor.accept(hit, Client(ip, ua, dnt))
            await self.ingestor.flush()
            return reason

        return asyncio.run(run())

    def snapshot(self) -> dict:
        """Expire, build and store the snapshot at the traffic's clock, as the tick does."""
        config = live_state.tracker_config_get(self.site)
        return services.tracker_tick(config, self.now, announce=False).realtime
