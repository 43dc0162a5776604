"""What ingest must know to judge a hit without Redis: the last known settings of every tracker
it has seen, and the day salts of visitor ids, fetched ahead of their dates.

Bounded by the number of trackers (and a few dates), never by visitors. Settings stay known
while Redis is away or restarted empty; a change anywhere moves the configuration generation
(`live_state.tracker_config_publish`), which the flusher reads at most once a second."""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import datetime, timedelta, timezone

from realtime import live_state
from realtime.tracker_config import TrackerConfig

UNKNOWN_SITES_MAX = 10_000  # ids Redis says are no tracker (junk traffic): forgotten oldest first
SALT_DATES_MAX = 16
SALTS_AHEAD_SECS = 60.0  # how often the salts of yesterday to the day after tomorrow are ensured


def dates_around(now: float) -> list[str]:
    """Every local date that is yesterday, today or tomorrow in some time zone (UTC-12 to
    UTC+14): the salts to hold so that crossing midnight needs no Redis."""
    today = datetime.fromtimestamp(now, tz=timezone.utc).date()
    return [(today + timedelta(days=n)).isoformat() for n in (-1, 0, 1, 2)]


class KnownTrackers:
    def __init__(self, check_secs: float = 1.0):
        self.check_secs = check_secs
        self.configs: dict[str, TrackerConfig] = {}
        self.salts: dict[str, str] = {}
        self.generation: str | None = None
        self.published = False  # the generation exists: a missing configuration means no tracker
        self.version = 0  # moves whenever something becomes known: unresolved hits are judged again
        self._unknown: OrderedDict[str, None] = OrderedDict()
        self._next_check = 0.0
        self._next_salts = 0.0

    def is_unknown(self, site: str) -> bool:
        return site in self._unknown

    async def refresh(self, now: float, sites: set[str], dates: set[str]) -> None:
        """Bring what is known up to date with Redis (a few round trips at most, usually none):
        the generation once per `check_secs`, the settings of `sites` never seen, the salts of
        `dates` and of the dates around `now`. Raises RedisError when Redis does not answer."""
        mono = time.monotonic()
        if mono >= self._next_check:
            generation = await live_state.config_generation_aget()
            self._next_check = mono + self.check_secs
            self.published = generation is not None
            if generation != self.generation:
                self.generation = generation
                self._unknown.clear()
                await self._load(list(self.configs))
                self.version += 1
        missing = [site for site in sites if site not in self.configs and site not in self._unknown]
        if missing:
            await self._load(missing)
            self.version += 1
        wanted = {d for d in dates if d not in self.salts}
        if mono >= self._next_salts:
            wanted.update(dates_around(now))
            self._next_salts = mono + SALTS_AHEAD_SECS
        if wanted:
            self.salts.update(await live_state.salts_aensure({d: self.salts.get(d) for d in sorted(wanted)}))
            for old in sorted(self.salts)[:-SALT_DATES_MAX]:
                del self.salts[old]
            self.version += 1

    async def _load(self, sites: list[str]) -> None:
        if not sites:
            return
        for site, config in (await live_state.tracker_configs_aget(sites)).items():
            if config is not None:
                self.configs[site] = config
                self._unknown.pop(site, None)
            elif site not in self.configs and self.published:
                # Known settings are kept when Redis lost them (an empty restart); a site never
                # seen is judged unknown only once the settings are published to this Redis.
                self._unknown[site] = None
                if len(self._unknown) > UNKNOWN_SITES_MAX:
                    self._unknown.popitem(last=False)
