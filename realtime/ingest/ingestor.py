"""The per-process ingest pipeline: accept hits at once, then judge, enrich and write them to
Redis in the background, exactly once, whatever Redis does.

A request only appends the hit, with its time, to a list (O(1), no Redis, no database). Every
NOWMETRIX_INGEST_FLUSH_MS the flusher judges what arrived (`judge`, with the tracker settings
and salts of `known`), and writes the batches in one round trip, each batch with an id
(writer, sequence number) that ingest.lua applies once. A batch without an answer is resent,
with its id, before anything newer (`unanswered`). While Redis is away, hits wait in memory for
NOWMETRIX_SPOOL_MEMORY_SECS, then in the spool's files (`spool`), replayed oldest first at a
bounded rate once Redis answers. Degraded states are logged as a few lines, never per hit."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import Counter, deque
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from redis.exceptions import RedisError

from realtime import live_state
from realtime.drops import DropReason
from realtime.ingest import hits, pipeline
from realtime.ingest.judge import Accepted, RawGroup, judge
from realtime.ingest.known import KnownTrackers
from realtime.ingest.payload import RawHit
from realtime.ingest.spool import Item, Spool
from realtime.ingest.unanswered import Unanswered
from realtime.ingest.visitor import local_date
from realtime.live_state import TrackerBatch, clients

log = logging.getLogger(__name__)
RETRY_SECS = 0.25  # while Redis is away, how often a write is tried again
CLAIM_EVERY_SECS = 5.0  # how often the spool looks for files of ended processes
LOG_EVERY_SECS = 10.0  # one line per interval while degraded
JUDGE_SLICE_HITS = 64  # hits judged between two chances for requests to be answered
SEND_BATCHES_MAX = 4  # a pipeline carries at most this many times NOWMETRIX_INGEST_BATCH_MAX hits
_NO_LIMIT = 1 << 62


def _utc_date(now: float) -> str:
    return datetime.fromtimestamp(now, tz=timezone.utc).date().isoformat()


class Ingestor:
    def __init__(self, *, flush_ms: int | None = None, batch_max: int | None = None,
                 config_ttl_secs: float | None = None, clock=time.time, spool_dir: Path | str | None = None):
        self.flush_secs = (flush_ms or settings.NOWMETRIX_INGEST_FLUSH_MS) / 1000
        self.batch_max = batch_max or settings.NOWMETRIX_INGEST_BATCH_MAX
        # Tracker changes must reach ingest within a second; tests ask for every flush (0).
        check = 1.0 if config_ttl_secs is None else min(1.0, config_ttl_secs)
        self.clock = clock
        self.writer = secrets.token_hex(6)
        self.known = KnownTrackers(check)
        self.spool = Spool(Path(spool_dir or settings.NOWMETRIX_SPOOL_DIR), self.writer,
                           max_hits=settings.NOWMETRIX_SPOOL_MAX_HITS, max_bytes=settings.NOWMETRIX_SPOOL_MAX_BYTES)
        self.memory_secs = settings.NOWMETRIX_SPOOL_MEMORY_SECS
        self.memory_hits = settings.NOWMETRIX_SPOOL_MEMORY_HITS
        self.replay_rate = settings.NOWMETRIX_SPOOL_REPLAY_HITS_PER_SEC
        self._incoming: list[Accepted] = []
        self._pending: deque[tuple[float, Item]] = deque()  # (when it was queued, monotonic; item)
        self.unanswered = Unanswered()  # sent without an answer: resent first, same ids
        self._need_sites: set[str] = set()
        self._need_dates: set[str] = set()
        self._seq = 0
        self._flush_lock = asyncio.Lock()
        self._flusher: asyncio.Task | None = None
        self._down_since: float | None = None
        self._unmarked: set[str] = set()  # trackers not yet entered in the live-tracker index
        self._next_try = 0.0
        self._next_claim = 0.0
        self._next_log = 0.0
        self._last_replay = time.monotonic()
        self._replay_started: float | None = None
        self.accepted = 0
        self.dropped = 0
        self.stats: Counter = Counter()  # written, spooled, replayed, overflow (hits), for logs and the bench

    # --- accepting hits (the request path: no await, no Redis) -------------------------

    def count_malformed(self) -> None:
        """A request from which no hit could be read."""
        self.accept_nowait(None, None)

    def accept_nowait(self, hit: RawHit | None, client: hits.Client | None) -> DropReason | None:
        """Queue one hit with its time, unless the pipeline's door steps drop it at once;
        returns the drop reason, or None when it was queued."""
        dropped = pipeline.at_the_door(hit)
        if dropped is not None:
            self.dropped += 1
            return dropped.reason
        self._incoming.append((self.clock(), hit, client))
        self.accepted += 1
        return None

    async def accept(self, hit: RawHit, client: hits.Client) -> DropReason | None:
        return self.accept_nowait(hit, client)

    @property
    def memory_hits_held(self) -> int:
        return (len(self._incoming) + sum(item.hit_count for _at, item in self._pending)
                + self.unanswered.hit_count)

    # --- flushing ------------------------------------------------------------------------

    async def flush(self, *, final: bool = False) -> None:
        """Judge what arrived and write what can be written. With `final` (shutdown), try once
        to write everything, then spool whatever Redis did not take."""
        async with self._flush_lock:
            mono = time.monotonic()
            now = self.clock()
            if self._incoming:
                arrived, self._incoming = self._incoming, []
                self._pending.append((mono, RawGroup(arrived)))
            if final or self._down_since is None or mono >= self._next_try:
                try:
                    await self._write(now, final)
                except RedisError as exc:
                    self._went_down(exc)
                else:
                    self._came_back()
            if self._down_since is not None:  # judged with what is known, for the spool
                await self._judge_pending()
            if final:
                self._spill_all()
            elif self._down_since is not None or self.memory_hits_held > self.memory_hits:
                self._spill(mono)
            elif self.unanswered:  # a cluster node away: its trackers' newer hits, to the spool
                self._spill(mono, self.unanswered.held())
            self._report()

    async def _judge_pending(self) -> None:
        """Judge raw groups never judged, or judged before something new was known."""
        version = self.known.version
        if not any(isinstance(item, RawGroup) and item.known_version != version for _at, item in self._pending):
            return
        judged: deque[tuple[float, Item]] = deque()
        dropped = 0
        for at, item in list(self._pending):
            if not isinstance(item, RawGroup) or item.known_version == version:
                judged.append((at, item))
                continue
            merged: dict[str, TrackerBatch] = {}
            unresolved = []
            for start in range(0, item.hit_count, JUDGE_SLICE_HITS):
                result = judge(item.hits[start:start + JUDGE_SLICE_HITS], self.known, self.batch_max)
                dropped += result.dropped
                for batch in result.batches:
                    into = merged.get(batch.public_id)
                    if into is not None and into.hit_count + batch.hit_count <= self.batch_max:
                        into.args.extend(batch.args)
                        for key, n in batch.drops.items():
                            into.drops[key] = into.drops.get(key, 0) + n
                    else:
                        merged[batch.public_id] = batch
                        judged.append((at, batch))
                unresolved.extend(result.unresolved)
                self._need_sites |= result.sites
                self._need_dates |= result.dates
                # Enrichment with cold caches (new visitors, a restart) costs milliseconds a
                # slice: requests are answered between slices, not after the whole group.
                await asyncio.sleep(0)
            if unresolved:
                judged.append((at, RawGroup(unresolved, known_version=version)))
        self._pending = judged
        self.dropped += dropped

    async def _write(self, now: float, final: bool) -> None:
        """Bring settings up to date (a changed tracker applies to hits not yet judged), judge,
        and send: unanswered batches first, then the rest in order."""
        await self._refresh(now, set(), set())  # the generation, at most once a second
        await self._judge_pending()  # also finds the settings and salts never fetched
        if self._need_sites or self._need_dates:
            await self._refresh(now, self._need_sites, self._need_dates)
            self._need_sites, self._need_dates = set(), set()
            await self._judge_pending()
        self._queue_overflow_drops(now)
        budget = _NO_LIMIT if final else self.batch_max * SEND_BATCHES_MAX
        # A tracker with an unanswered batch (its cluster node away) gets nothing newer sent
        # until that batch is answered: its ids must reach Redis in order. Unanswered batches
        # are resent every RETRY_SECS; the other trackers' batches go out at every flush.
        # With all of Redis away, unanswered batches fill the budget (memory stays bounded).
        held = self.unanswered.held()
        retry = final or not held or time.monotonic() >= self._next_try
        sending, waiting = self.unanswered.split(retry)
        taken = self.unanswered.hit_count if self._down_since is not None else 0
        kept: list[tuple[float, Item]] = []
        while self._pending and taken < budget:
            at, item = self._pending.popleft()
            if isinstance(item, RawGroup) or item.public_id in held:  # waits, without holding up the rest
                kept.append((at, item))
                continue
            self._seq += 1
            item.writer, item.seq = self.writer, self._seq
            sending.append(item)
            taken += item.hit_count
        self._pending.extendleft(reversed(kept))
        self.unanswered.batches = waiting + sending
        if sending or self._unmarked:
            outcome = await live_state.ingest_aapply(sending, now, self._unmarked)
            self.stats["written"] += sum(b.hit_count for b in sending) - sum(b.hit_count for b in outcome.unanswered)
            self.unanswered.batches, self._unmarked = waiting + outcome.unanswered, outcome.unmarked
            self._node_away(outcome.failure, retry and bool(held))
        if not final and not self.unanswered and time.monotonic() >= self._next_try:
            await self._replay(now)

    async def _refresh(self, now: float, sites: set[str], dates: set[str]) -> None:
        """`known.refresh`; on a Redis Cluster, a node away (that holds the generation, a salt
        or some settings) leaves what is known as it is, for the other nodes' trackers."""
        try:
            await self.known.refresh(now, sites, dates)
        except RedisError:
            if not clients.is_cluster(settings.REDIS_URL):
                raise
            self._need_sites |= sites
            self._need_dates |= dates

    def _queue_overflow_drops(self, now: float) -> None:
        """Hits the spool dropped past its caps, counted as `spool_overflow` per tracker."""
        if not self.spool.overflow:
            return
        for site, n in self.spool.overflow.items():
            config = self.known.configs.get(site)
            batch = TrackerBatch(site, config.window_secs if config else 300)
            batch.drop(local_date(config.timezone, now) if config else _utc_date(now), DropReason.SPOOL_OVERFLOW, n)
            self._pending.append((time.monotonic(), batch))
            self.stats["overflow"] += n
            self.dropped += n
        self.spool.overflow.clear()

    # --- the spool -------------------------------------------------------------------------

    async def _replay(self, now: float) -> None:
        """Replay spooled hits, oldest first, at most NOWMETRIX_SPOOL_REPLAY_HITS_PER_SEC."""
        mono = time.monotonic()
        if mono >= self._next_claim:
            self._next_claim = mono + CLAIM_EVERY_SECS
            if self.spool.claim_orphans():
                log.warning("ingest: replaying the spool files of an ended process from %s", self.spool.dir)
        self.spool.seal()
        allowance = min(self.replay_rate * (mono - self._last_replay), self.replay_rate / 4)
        self._last_replay = mono
        if not self.spool.has_ready:
            if self._replay_started is not None:
                spent = mono - self._replay_started
                log.warning("ingest: spool replayed: %d hits in %.1f s", self.stats["replayed"], spent)
                self._replay_started = None
            return
        if self._replay_started is None:
            self._replay_started = mono
            self.stats["replayed"] = 0
        items, offset = self.spool.read(max(1, int(allowance)))
        batches, sites, dates = [], set(), set()
        for item in items:
            if isinstance(item, RawGroup):
                sites.update(hit.site for _t, hit, _c in item.hits)
                dates.update(local_date(self.known.configs[s].timezone, t) for t, hit, _c in item.hits
                             for s in (hit.site,) if s in self.known.configs)
        if sites or dates:
            await self.known.refresh(now, sites, dates)
        for item in items:
            if isinstance(item, TrackerBatch):
                batches.append(item)
                continue
            result = judge(item.hits, self.known, _NO_LIMIT, final=self.known.published)
            if result.unresolved:  # the settings are not published to this Redis yet: later
                self._need_sites |= result.sites
                self._need_dates |= result.dates
                return
            for batch in result.batches:
                batch.writer, batch.seq = item.writer, item.seq
            batches.extend(result.batches)
            self.dropped += result.dropped
        outcome = await live_state.ingest_aapply(batches, now)
        self._unmarked |= outcome.unmarked
        if outcome.unanswered:  # a cluster node away: read and sent again later, same ids
            self._node_away(outcome.failure, False)
            return
        n = sum(item.hit_count for item in items)
        self.spool.commit(offset, n)
        self.stats["replayed"] += n

    def _spill(self, mono: float, only: set[str] | None = None) -> None:
        """Move what waited longer than NOWMETRIX_SPOOL_MEMORY_SECS (or past the memory cap) to
        the spool, oldest first; with `only`, just the batches of those trackers (their cluster
        node is away; the rest is being written). Unanswered batches stay: they are resent
        before anything newer."""
        if only is not None:
            old = [(at, item) for at, item in self._pending if at < mono - self.memory_secs
                   and isinstance(item, TrackerBatch) and item.public_id in only]
            if old:
                out = {id(item) for _at, item in old}
                self._pending = deque(entry for entry in self._pending if id(entry[1]) not in out)
                self._spool_write([item for _at, item in old])
            return
        held = self.memory_hits_held
        out: list[Item] = []
        while self._pending and (self._pending[0][0] < mono - self.memory_secs or held > self.memory_hits):
            _at, item = self._pending.popleft()
            out.append(item)
            held -= item.hit_count
        self._spool_write(out)

    def _spill_all(self) -> None:
        out: list[Item] = self.unanswered.take_all() + [item for _at, item in self._pending]
        if self._incoming:
            out.append(RawGroup(self._incoming))
        self._pending, self._incoming = deque(), []
        self._spool_write(out)
        if out:
            log.warning("ingest: %d hits Redis could not take written to the spool at %s",
                        sum(item.hit_count for item in out), self.spool.dir)

    def _spool_write(self, items: list[Item]) -> None:
        if not items:
            return
        try:
            self.spool.write(items)
            self.stats["spooled"] += sum(item.hit_count for item in items)
        except OSError as exc:
            lost = Counter()
            for item in items:
                if isinstance(item, RawGroup):
                    lost.update(hit.site for _t, hit, _c in item.hits)
                else:
                    lost[item.public_id] += item.hit_count
            self.spool.overflow.update(lost)
            log.error("ingest: spool %s cannot be written, %d hits lost: %s", self.spool.dir, sum(lost.values()), exc)

    # --- state changes and logs ------------------------------------------------------------

    def _went_down(self, exc: Exception) -> None:
        mono = time.monotonic()
        self._next_try = mono + RETRY_SECS
        if self._down_since is None:
            self._down_since = mono
            self._next_log = mono + LOG_EVERY_SECS
            log.warning("ingest: Redis unavailable (%s); hits are kept in memory, then spooled to %s",
                        exc, self.spool.dir)

    def _node_away(self, failure: Exception | None, retried: bool) -> None:
        if failure is not None:
            self._next_try = time.monotonic() + RETRY_SECS
        self.unanswered.node_answer(failure, retried, self.spool.dir)

    def _came_back(self) -> None:
        if self._down_since is not None:
            log.warning("ingest: Redis answers again after %.1f s; %d hits in memory, %d in the spool to replay",
                        time.monotonic() - self._down_since, self.memory_hits_held, self.spool.hits)
            self._down_since = None

    def _report(self) -> None:
        mono = time.monotonic()
        if mono < self._next_log or (self._down_since is None and not self.spool.has_ready):
            return
        self._next_log = mono + LOG_EVERY_SECS
        state = (f"Redis unavailable for {mono - self._down_since:.0f} s" if self._down_since is not None
                 else "replaying the spool")
        log.warning("ingest: %s: %d hits in memory, %d in the spool, %d spooled, %d replayed, %d dropped past the caps",
                    state, self.memory_hits_held, self.spool.hits, self.stats["spooled"], self.stats["replayed"],
                    self.stats["overflow"])

    # --- the flusher task ----------------------------------------------------------------

    async def run_flusher(self) -> None:
        while True:
            await asyncio.sleep(self.flush_secs)
            try:
                await self.flush()
            except Exception:  # noqa: BLE001 - the flusher must outlive any one bad flush, or every later hit is lost
                log.exception("ingest: flush failed")

    def start(self) -> None:
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self.run_flusher())

    async def stop(self) -> None:
        """At shutdown (SIGTERM): write what Redis takes, spool the rest, let go of the files."""
        if self._flusher is not None:
            self._flusher.cancel()
            try:
                await self._flusher
            except asyncio.CancelledError:
                pass
            self._flusher = None
        try:
            await self.flush(final=True)
        finally:
            self.spool.close()
