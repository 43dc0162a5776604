"""Writing batches of hits: one round trip for any number of trackers, one atomic script call
per tracker batch, each batch applied at most once (see realtime/lua/ingest.lua).

On a Redis Cluster the same pipeline is a redis-py ClusterPipeline: it groups the commands by
the node of their slot and sends each node its share in one round trip, all nodes at once.
Each script call names one key (the tracker's base, its hash tag), so it runs on one slot; a
node that does not know the script answers NOSCRIPT for its calls only, and those are sent
again after SCRIPT LOAD (which redis-py sends to every primary)."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.exceptions import NoScriptError

from realtime import keys
from realtime.live_state.clients import aclient, client, script

HIT_FIELDS = 9  # values per hit in TrackerBatch.args


@dataclass
class TrackerBatch:
    """Hits of one tracker for ingest.lua: 9 values per hit in `args` (its time and local date,
    then the 7 of `hits.pack_hit`), sent joined by keys.HIT_SEP (no value may contain a control
    character). `drops` counts dropped hits by (local date, reason).

    `writer` and `seq` identify the batch once it is first sent or spooled: a resend carries
    the same pair, and ingest.lua skips a pair it has applied. An empty writer is never checked
    (bulk loads of the bench)."""

    public_id: str
    window_secs: int
    args: list[str] = field(default_factory=list)
    drops: dict[tuple[str, str], int] = field(default_factory=dict)
    writer: str = ""
    seq: int = 0

    def add(self, t: float, local_date: str, packed: list[str] | tuple[str, ...]) -> None:
        self.args.append(f"{t:.3f}")
        self.args.append(local_date)
        self.args.extend(packed)

    def drop(self, local_date: str, reason: str, n: int = 1) -> None:
        self.drops[(local_date, reason)] = self.drops.get((local_date, reason), 0) + n

    @property
    def hit_count(self) -> int:
        return len(self.args) // HIT_FIELDS

    @property
    def dropped_count(self) -> int:
        return sum(self.drops.values())


def _queue_ingest(pipe, batches: list[TrackerBatch], now: float) -> None:
    lua = script("ingest")
    for batch in batches:
        drops = keys.HIT_SEP.join(f"{date}{keys.HIT_SEP}{reason}{keys.HIT_SEP}{n}"
                                  for (date, reason), n in batch.drops.items())
        # execute_command, not .evalsha: redis-py's ClusterPipeline blocks the named method (a
        # node may lack the script), yet routes EVALSHA by its keys; NOSCRIPT is handled below.
        pipe.execute_command("EVALSHA", lua.sha, 1, keys.tracker_base(batch.public_id), f"{now:.3f}", batch.writer,
                             batch.seq, batch.window_secs, keys.HIT_SEP.join(batch.args), drops)
    # When they were written, not when their hits happened: the tick rebuilds the snapshot of a
    # tracker whose replayed hits changed today's totals. One command per tick shard a flush touches.
    by_shard: dict[int, dict[str, float]] = {}
    for batch in batches:
        by_shard.setdefault(keys.tick_shard(batch.public_id), {})[batch.public_id] = now
    for shard, members in by_shard.items():
        pipe.zadd(keys.live_trackers(shard), members, gt=True)


def _unknown_script(batches: list[TrackerBatch], results: list) -> list[TrackerBatch]:
    """The batches whose script call failed because Redis did not know the script (a restart).
    Any other error is raised; the batches that did apply are not sent again."""
    missing = []
    for batch, result in zip(batches, results[:len(batches)]):
        if isinstance(result, NoScriptError):
            missing.append(batch)
    for result in results:
        if isinstance(result, Exception) and not isinstance(result, NoScriptError):
            raise result
    return missing


def ingest_apply(batches: list[TrackerBatch], now: float | None = None) -> None:
    """Apply batches of hits of any number of trackers in one round trip (two after a Redis
    restart: the script is loaded, and the batches that needed it sent again)."""
    import time

    now = time.time() if now is None else now
    conn = client()
    pipe = conn.pipeline(transaction=False)
    _queue_ingest(pipe, batches, now)
    missing = _unknown_script(batches, pipe.execute(raise_on_error=False))
    if missing:
        conn.script_load(script("ingest").source)
        pipe = conn.pipeline(transaction=False)
        _queue_ingest(pipe, missing, now)
        pipe.execute()


async def ingest_aapply(batches: list[TrackerBatch], now: float) -> None:
    """`ingest_apply` for the ingest process's event loop. On a connection error or timeout
    nothing is known of what applied: the caller resends the same batches (same ids)."""
    conn = aclient()
    pipe = conn.pipeline(transaction=False)
    _queue_ingest(pipe, batches, now)
    missing = _unknown_script(batches, await pipe.execute(raise_on_error=False))
    if missing:
        await conn.script_load(script("ingest").source)
        pipe = conn.pipeline(transaction=False)
        _queue_ingest(pipe, missing, now)
        await pipe.execute()
