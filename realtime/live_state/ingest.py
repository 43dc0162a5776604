"""Writing batches of hits: one round trip for any number of trackers."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.exceptions import NoScriptError

from realtime import keys
from realtime.live_state.clients import aclient, client, script

STREAM_MAX_HITS = 200_000  # cap on the 30-minute hit log, whatever the traffic


@dataclass
class TrackerBatch:
    """Hits of one tracker on one local date for ingest.lua: 7 values per hit in `args`, sent
    joined by keys.HIT_SEP (no value may contain a control character)."""

    public_id: str
    local_date: str
    now: float
    minute: int
    args: list[str] = field(default_factory=list)
    drops: dict[str, int] = field(default_factory=dict)

    @property
    def hit_count(self) -> int:
        return len(self.args) // 7


def _queue_ingest(pipe, batches: list[TrackerBatch], global_drops: dict[str, int], utc_date: str) -> None:
    lua = script("ingest")
    for batch in batches:
        base = keys.tracker_base(batch.public_id)
        if batch.args:
            pipe.evalsha(lua.sha, 1, base, batch.now, batch.local_date, batch.minute, STREAM_MAX_HITS,
                         keys.DAY_KEY_TTL_SECS, keys.HIT_SEP.join(batch.args))
            pipe.zadd(keys.live_trackers(), {batch.public_id: batch.now})
        if batch.drops:
            drop_key = f"{base}:drop:{batch.local_date}"
            for reason, n in batch.drops.items():
                pipe.hincrby(drop_key, reason, n)
            pipe.expire(drop_key, keys.DROPS_TTL_SECS)
    if global_drops:
        key = keys.global_drops(utc_date)
        for reason, n in global_drops.items():
            pipe.hincrby(key, reason, n)
        pipe.expire(key, keys.DROPS_TTL_SECS)


def ingest_apply(batches: list[TrackerBatch], global_drops: dict[str, int] | None = None, utc_date: str = "") -> None:
    """Apply batches of hits of any number of trackers in one round trip."""
    conn = client()
    for attempt in range(2):
        pipe = conn.pipeline(transaction=False)
        _queue_ingest(pipe, batches, global_drops or {}, utc_date)
        try:
            pipe.execute()
            return
        except NoScriptError:
            if attempt:
                raise
            conn.script_load(script("ingest").source)


async def ingest_aapply(batches: list[TrackerBatch], global_drops: dict[str, int] | None = None,
                        utc_date: str = "") -> None:
    conn = aclient()
    for attempt in range(2):
        pipe = conn.pipeline(transaction=False)
        _queue_ingest(pipe, batches, global_drops or {}, utc_date)
        try:
            await pipe.execute()
            return
        except NoScriptError:
            if attempt:
                raise
            await conn.script_load(script("ingest").source)
