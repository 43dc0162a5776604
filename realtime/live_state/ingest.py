"""Writing batches of hits: one round trip for any number of trackers, one atomic script call
per tracker batch, each batch applied at most once (see realtime/lua/ingest.lua).

On a Redis Cluster the same pipeline is a redis-py ClusterPipeline: it groups the commands by
the node of their slot and sends each node its share in one round trip, all nodes at once.
Each script call names one key (the tracker's base, its hash tag), so it runs on one slot; a
node that does not know the script answers NOSCRIPT for its calls only, and those are sent
again after SCRIPT LOAD (which redis-py sends to every primary)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import redis.asyncio.cluster as aiocluster
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError

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


def _queue_ingest(pipe, batches: list[TrackerBatch], now: float, mark: set[str] | None = None) -> None:
    """The script call of each batch, then the live-tracker index entry of `mark` (by default
    the trackers of `batches`)."""
    lua = script("ingest")
    for batch in batches:
        drops = keys.HIT_SEP.join(f"{date}{keys.HIT_SEP}{reason}{keys.HIT_SEP}{n}"
                                  for (date, reason), n in batch.drops.items())
        # execute_command, not .evalsha: redis-py's ClusterPipeline blocks the named method (a
        # node may lack the script), yet routes EVALSHA by its keys; NOSCRIPT is handled below.
        pipe.execute_command("EVALSHA", lua.sha, 1, keys.tracker_base(batch.public_id), f"{now:.3f}", batch.writer,
                             batch.seq, batch.window_secs, keys.HIT_SEP.join(batch.args), drops)
    mark = {batch.public_id for batch in batches} if mark is None else mark
    # When they were written, not when their hits happened: the tick rebuilds the snapshot of a
    # tracker whose replayed hits changed today's totals. One command per tick shard a flush touches.
    for shard, members in _by_shard(mark, now).items():
        pipe.zadd(keys.live_trackers(shard), members, gt=True)


def _by_shard(sites, now: float) -> dict[int, dict[str, float]]:
    by_shard: dict[int, dict[str, float]] = {}
    for site in sites:
        by_shard.setdefault(keys.tick_shard(site), {})[site] = now
    return by_shard


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


@dataclass
class FlushOutcome:
    """What an async flush left undone. `unanswered`: batches whose node did not answer (a
    cluster master down or hung): nothing is known of them, so they are resent with their ids
    before any later batch of their trackers. `unmarked`: trackers whose batches applied but
    whose entry in the live-tracker index was not written (that key's node did not answer)."""

    unanswered: list[TrackerBatch] = field(default_factory=list)
    unmarked: set[str] = field(default_factory=set)
    failure: Exception | None = None  # the error of a node that did not answer


async def _apply_node(conn, batches: list[TrackerBatch], now: float, mark: set[str]) -> None:
    """One node's share of a flush: its batches, and the live-tracker entries of `mark` (on a
    cluster, those whose shard's index lives on this node)."""
    pipe = conn.pipeline(transaction=False)
    _queue_ingest(pipe, batches, now, mark)
    missing = _unknown_script(batches, await pipe.execute(raise_on_error=False))
    if missing:
        await conn.script_load(script("ingest").source)
        pipe = conn.pipeline(transaction=False)
        _queue_ingest(pipe, missing, now, set())
        await pipe.execute()


async def ingest_aapply(batches: list[TrackerBatch], now: float, mark: set[str] | frozenset = frozenset()
                        ) -> FlushOutcome:
    """`ingest_apply` for the ingest process's event loop; `mark`: trackers to enter in the
    live-tracker index besides those of `batches` (an earlier flush's `unmarked`).

    On a single server, a connection error or timeout raises: nothing is known of what applied
    and the caller resends the same batches (same ids). On a cluster each node gets its own
    pipeline, all at once, so a master that is down or hung holds back only its own trackers'
    batches and index entries (returned as unanswered and unmarked)."""
    conn = aclient()
    marked = {b.public_id for b in batches} | set(mark)
    if not isinstance(conn, aiocluster.RedisCluster):
        await _apply_node(conn, batches, now, marked)
        return FlushOutcome()
    await conn.initialize()  # the slots, read once
    by_node: dict[str, tuple[list[TrackerBatch], set[str]]] = {}

    def share(key: str) -> tuple[list[TrackerBatch], set[str]]:
        return by_node.setdefault(conn.get_node_from_key(key).name, ([], set()))

    for batch in batches:
        share(keys.tracker_base(batch.public_id))[0].append(batch)
    for shard, members in _by_shard(marked, now).items():
        share(keys.live_trackers(shard))[1].update(members)
    results = await asyncio.gather(*(_apply_node(conn, group, now, sites) for group, sites in by_node.values()),
                                   return_exceptions=True)
    outcome = FlushOutcome()
    for (group, sites), result in zip(by_node.values(), results):
        if isinstance(result, BaseException):
            if not isinstance(result, RedisError):
                raise result
            outcome.failure = result
            outcome.unanswered.extend(group)
            outcome.unmarked |= sites
    if isinstance(outcome.failure, RedisConnectionError):
        # A node gone (a restart, a failover): read the slots again from any node that answers.
        # Not after a timeout (a hung node owns its slots still), and not by closing the client,
        # whose next start asks its default node, which may be the one away.
        try:
            await conn.nodes_manager.initialize()
        except RedisError:
            pass  # no node answered: the slots as they were, asked again at the next failure
    return outcome
