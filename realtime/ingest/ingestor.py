"""The per-process ingest pipeline: validate, enrich, buffer, and write hits to Redis in
batches (one round trip per flush, whatever the number of hits in it).

Hits are answered before they are written; the buffer is flushed every
NOWMETRIX_INGEST_FLUSH_MS, when it holds NOWMETRIX_INGEST_BATCH_MAX hits, and at shutdown.
Nothing here reads the database: tracker settings come from Redis, cached for
NOWMETRIX_TRACKER_CONFIG_TTL_SECS, and salts are cached per local date."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from datetime import datetime, timezone

from django.conf import settings
from redis.exceptions import RedisError

from realtime import live_state
from realtime.ingest import hits
from realtime.ingest.payload import RawHit
from realtime.ingest.visitor import local_date, previous_date_if_recent
from realtime.live_state import TrackerBatch, TrackerConfig
from trackers.keys import tracker_public_id_is_well_formed

log = logging.getLogger(__name__)
MAX_PENDING_HITS = 100_000  # kept while Redis is unreachable; beyond, the oldest are lost
_CONFIG_CACHE_MAX = 10_000


class Ingestor:
    def __init__(self, *, flush_ms: int | None = None, batch_max: int | None = None,
                 config_ttl_secs: float | None = None, clock=time.time):
        self.flush_secs = (flush_ms or settings.NOWMETRIX_INGEST_FLUSH_MS) / 1000
        self.batch_max = batch_max or settings.NOWMETRIX_INGEST_BATCH_MAX
        self.config_ttl = settings.NOWMETRIX_TRACKER_CONFIG_TTL_SECS if config_ttl_secs is None else config_ttl_secs
        self.clock = clock
        self._configs: dict[str, tuple[TrackerConfig | None, float]] = {}
        self._salts: dict[str, str] = {}
        self._batches: dict[tuple[str, str], TrackerBatch] = {}
        self._global_drops: dict[str, int] = defaultdict(int)
        self._pending = 0
        self._flusher: asyncio.Task | None = None
        self._flush_lock = asyncio.Lock()
        self.accepted = 0
        self.dropped = 0

    # --- cached lookups (a Redis round trip only on a miss) ---------------------------

    async def _config(self, site: str, now: float) -> TrackerConfig | None:
        cached = self._configs.get(site)
        if cached is not None and cached[1] > now:
            return cached[0]
        config = await live_state.tracker_config_aget(site)
        if len(self._configs) >= _CONFIG_CACHE_MAX:
            self._configs.clear()
        self._configs[site] = (config, now + self.config_ttl)
        return config

    async def _salt(self, date: str) -> str:
        found = self._salts.get(date)
        if found is None:
            found = await live_state.salt_aget(date)
            if len(self._salts) > 8:
                self._salts.clear()
            self._salts[date] = found
        return found

    # --- accepting hits ----------------------------------------------------------------

    def count_malformed(self) -> None:
        self._global_drops[hits.DROP_MALFORMED] += 1
        self.dropped += 1

    async def accept(self, hit: RawHit, client: hits.Client) -> str | None:
        """Queue one hit; returns the drop reason, or None when it was accepted."""
        now = self.clock()
        if not tracker_public_id_is_well_formed(hit.site):
            self._global_drops[hits.DROP_UNKNOWN] += 1
            self.dropped += 1
            return hits.DROP_UNKNOWN
        try:
            config = await self._config(hit.site, now)
            reason = hits.drop_reason(hit, config, client)
            if reason == hits.DROP_UNKNOWN:
                self._global_drops[reason] += 1
            if reason is not None:
                if config is not None:
                    self._batch(config, now).drops[reason] = self._batch(config, now).drops.get(reason, 0) + 1
                self.dropped += 1
                return reason
            date = local_date(config.timezone, now)
            salt = await self._salt(date)
            prev_date = previous_date_if_recent(config.timezone, now, config.window_secs)
            prev_salt = await self._salt(prev_date) if prev_date else None
        except RedisError as exc:  # nothing to validate against: the hit cannot be counted
            log.warning("ingest: Redis unavailable, hit lost: %s", exc)
            self.dropped += 1
            return "redis_unavailable"
        record = hits.build_record(hit, config, client)
        vid, prev_vid = hits.visitor_ids(config, client, salt, prev_salt)
        self._batch(config, now).args.extend(hits.pack_hit(hit, record, vid, prev_vid))
        self._pending += 1
        self.accepted += 1
        if self._pending >= self.batch_max:
            await self.flush()
        return None

    def _batch(self, config: TrackerConfig, now: float) -> TrackerBatch:
        date = local_date(config.timezone, now)
        batch = self._batches.get((config.public_id, date))
        if batch is None:
            batch = TrackerBatch(config.public_id, date, now, int(now // 60))
            self._batches[(config.public_id, date)] = batch
        batch.now = max(batch.now, now)
        batch.minute = int(batch.now // 60)
        return batch

    # --- flushing ------------------------------------------------------------------------

    async def flush(self) -> None:
        async with self._flush_lock:
            if not self._batches and not self._global_drops:
                return
            batches, drops, pending = list(self._batches.values()), dict(self._global_drops), self._pending
            self._batches, self._global_drops, self._pending = {}, defaultdict(int), 0
            utc_date = datetime.fromtimestamp(self.clock(), tz=timezone.utc).date().isoformat()
            try:
                await live_state.ingest_aapply(batches, drops, utc_date)
            except RedisError as exc:
                self._requeue(batches, drops, pending, exc)

    def _requeue(self, batches: list[TrackerBatch], drops: dict[str, int], pending: int, exc: Exception) -> None:
        if self._pending + pending > MAX_PENDING_HITS:
            log.error("ingest: Redis unavailable, %d buffered hits lost: %s", pending, exc)
            return
        log.warning("ingest: Redis unavailable, keeping %d hits for the next flush: %s", pending, exc)
        for batch in batches:
            key = (batch.public_id, batch.local_date)
            if key in self._batches:
                newer = self._batches[key]
                batch.args.extend(newer.args)
                for reason, n in newer.drops.items():
                    batch.drops[reason] = batch.drops.get(reason, 0) + n
                batch.now = max(batch.now, newer.now)
                batch.minute = int(batch.now // 60)
            self._batches[key] = batch
        for reason, n in drops.items():
            self._global_drops[reason] += n
        self._pending += pending

    async def run_flusher(self) -> None:
        while True:
            await asyncio.sleep(self.flush_secs)
            await self.flush()

    def start(self) -> None:
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self.run_flusher())

    async def stop(self) -> None:
        if self._flusher is not None:
            self._flusher.cancel()
            self._flusher = None
        await self.flush()
