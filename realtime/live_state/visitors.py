"""Reads of the active visitors: their ids and last-seen times (`keys.ACTIVE`), their records
(`keys.VISITORS`), the live counters, and page descriptions. The GA-compatible APIs are the main
readers. Each call is one round trip unless its docstring says otherwise."""

from __future__ import annotations

from realtime import keys
from realtime.live_state.clients import client


def visitor_records(public_id: str, cutoff: float, stale_limit: int = 50_000) -> tuple[list[str], list[str]]:
    """Every visitor record (HVALS: half the cost of HGETALL at 100,000 visitors) and
    the records of visitors last seen before `cutoff` that expiry (every second) has not removed
    yet, for the caller to leave out. One round trip, two when such visitors exist."""
    visitors = keys.tracker_key(public_id, keys.VISITORS)
    conn = client()
    pipe = conn.pipeline(transaction=False)
    pipe.hvals(visitors)
    pipe.zrangebyscore(keys.tracker_key(public_id, keys.ACTIVE), "-inf", f"({cutoff}", start=0, num=stale_limit)
    records, stale = pipe.execute()
    stale_records = [r for r in conn.hmget(visitors, stale) if r] if stale else []
    return records, stale_records


def active_ids(public_id: str, cutoff: float) -> list[str]:
    """Ids of the visitors last seen at or after `cutoff`."""
    return client().zrangebyscore(keys.tracker_key(public_id, keys.ACTIVE), cutoff, "+inf")


def active_count(public_id: str, cutoff: float) -> int:
    """Visitors last seen at or after `cutoff` (ZCOUNT)."""
    return client().zcount(keys.tracker_key(public_id, keys.ACTIVE), cutoff, "+inf")


def active_since(public_id: str, since: float, with_records: bool = True
                 ) -> tuple[dict[str, float], dict[str, str]]:
    """Visitors last seen at or after `since` with their last-seen time, and (unless
    `with_records` is false) every visitor record. One round trip."""
    pipe = client().pipeline(transaction=False)
    pipe.zrangebyscore(keys.tracker_key(public_id, keys.ACTIVE), since, "+inf", withscores=True)
    if with_records:
        pipe.hgetall(keys.tracker_key(public_id, keys.VISITORS))
    found = pipe.execute()
    return dict(found[0]), (found[1] if with_records else {})


def live_counter(public_id: str, counter: str, cutoff: float, stale_limit: int = 5_000
                 ) -> tuple[dict[str, int], list[str] | None]:
    """An incremental live counter (by its name in `keys.LIVE_COUNTERS`: `dev` HASH; `cc`, `city`,
    `src`, `pg` ZSETs: member -> active visitors) and the records of visitors past `cutoff` that it still counts, so the
    caller can subtract them. The stale records are None when there are more than
    `stale_limit` (expiry is behind: scan instead). One round trip, two when stale visitors exist."""
    suffix = keys.LIVE_COUNTERS[counter]
    conn = client()
    pipe = conn.pipeline(transaction=False)
    if suffix is keys.DEVICES:
        pipe.hgetall(keys.tracker_key(public_id, suffix))
    else:
        pipe.zrange(keys.tracker_key(public_id, suffix), 0, -1, withscores=True)
    pipe.zrangebyscore(keys.tracker_key(public_id, keys.ACTIVE), "-inf", f"({cutoff}", start=0, num=stale_limit + 1)
    raw, stale = pipe.execute()
    counts = {member: int(float(n)) for member, n in (raw.items() if isinstance(raw, dict) else raw)}
    if len(stale) > stale_limit:
        return counts, None
    records = [r for r in conn.hmget(keys.tracker_key(public_id, keys.VISITORS), stale) if r] if stale else []
    return counts, records


def page_meta(public_id: str, page_ids: list[str]) -> dict[str, str]:
    """Packed page meta (`host path title og_image author pubdate`) of the given pages; one
    pipelined round trip, HMGET in chunks of 1,000."""
    if not page_ids:
        return {}
    key = keys.tracker_key(public_id, keys.PAGE_META)
    pipe = client().pipeline(transaction=False)
    chunks = [page_ids[i : i + 1000] for i in range(0, len(page_ids), 1000)]
    for chunk in chunks:
        pipe.hmget(key, chunk)
    out: dict[str, str] = {}
    for chunk, metas in zip(chunks, pipe.execute()):
        out.update((pid, meta) for pid, meta in zip(chunk, metas) if meta is not None)
    return out


