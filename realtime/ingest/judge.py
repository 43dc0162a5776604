"""From accepted hits to tracker batches, with what ingest knows (no Redis, no database).

A hit whose tracker settings or day salt are not known yet (Redis away since before they were
first needed) stays raw, as received, and is judged again once they are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from realtime.ingest import hits
from realtime.ingest.known import KnownTrackers
from realtime.ingest.payload import RawHit
from realtime.ingest.visitor import local_date, previous_date_if_recent
from realtime.live_state import TrackerBatch

Accepted = tuple[float, RawHit, hits.Client]  # (time of the hit, the hit, its client)


@dataclass
class RawGroup:
    """Hits not judged yet, in the order they arrived. `writer` and `seq` are given when the
    group is spooled: every tracker batch judged from it carries them, so that a file replayed
    twice (its replayer died) still counts each hit once."""

    hits: list[Accepted]
    writer: str = ""
    seq: int = 0
    known_version: int = -1  # what was known when it was last judged

    @property
    def hit_count(self) -> int:
        return len(self.hits)


@dataclass
class Judged:
    batches: list[TrackerBatch] = field(default_factory=list)
    unresolved: list[Accepted] = field(default_factory=list)
    global_drops: Counter = field(default_factory=Counter)
    sites: set[str] = field(default_factory=set)  # whose settings are needed
    dates: set[str] = field(default_factory=set)  # whose salts are needed


def judge(accepted: list[Accepted], known: KnownTrackers, batch_max: int, *, final: bool = False) -> Judged:
    """Drop decisions, enrichment and visitor ids for each hit, into batches of at most
    `batch_max` hits per tracker. With `final`, a hit of a tracker still unknown is dropped
    as unknown instead of staying unresolved (a replayed file, after the settings were read)."""
    out = Judged()
    current: dict[str, TrackerBatch] = {}
    for item in accepted:
        t, hit, client = item
        config = known.configs.get(hit.site)
        if config is None:
            if final or known.is_unknown(hit.site):
                out.global_drops[hits.DROP_UNKNOWN] += 1
            else:
                out.unresolved.append(item)
                out.sites.add(hit.site)
            continue
        date = local_date(config.timezone, t)
        reason = hits.drop_reason(hit, config, client)
        prev_date = previous_date_if_recent(config.timezone, t, config.window_secs) if reason is None else None
        salt = known.salts.get(date)
        prev_salt = known.salts.get(prev_date) if prev_date else None
        if reason is None and (salt is None or (prev_date and prev_salt is None)):
            out.unresolved.append(item)
            out.dates.update(d for d in (date, prev_date) if d and d not in known.salts)
            continue
        batch = current.get(config.public_id)
        if batch is None or batch.hit_count >= batch_max:
            batch = current[config.public_id] = TrackerBatch(config.public_id, config.window_secs)
            out.batches.append(batch)
        if reason is not None:
            batch.drop(date, reason)
            continue
        record = hits.build_record(hit, config, client)
        vid, prev_vid = hits.visitor_ids(config, client, salt, prev_salt)
        batch.add(t, date, hits.pack_hit(hit, record, vid, prev_vid))
    return out
