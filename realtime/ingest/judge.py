"""From accepted hits to tracker batches, with what ingest knows (no Redis, no database).

A hit whose tracker settings or day salt are not known yet (Redis away since before they were
first needed) stays raw, as received, and is judged again once they are."""

from __future__ import annotations

from dataclasses import dataclass, field

from realtime.ingest import hits
from realtime.ingest.known import KnownTrackers
from realtime.ingest.pipeline import Dropped, classify
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
    dropped: int = 0  # before any tracker is known (unknown tracker): no tracker to count them against
    sites: set[str] = field(default_factory=set)  # whose settings are needed
    dates: set[str] = field(default_factory=set)  # whose salts are needed


def judge(accepted: list[Accepted], known: KnownTrackers, batch_max: int, *, final: bool = False) -> Judged:
    """Each hit through `classify`, with visitor ids for those it accepts, into batches of at
    most `batch_max` hits per tracker. A hit of a tracker not known yet waits (unresolved) until
    Redis says whether it exists; with `final` it is classified as it stands (a replayed file,
    after the settings were read)."""
    out = Judged()
    current: dict[str, TrackerBatch] = {}
    for item in accepted:
        t, hit, client = item
        config = known.configs.get(hit.site)
        if config is None and not (final or known.is_unknown(hit.site)):
            out.unresolved.append(item)
            out.sites.add(hit.site)
            continue
        verdict = classify(hit, config, client)
        if config is None:  # dropped before any tracker is known
            out.dropped += 1
            continue
        date = local_date(config.timezone, t)
        accepted_hit = not isinstance(verdict, Dropped)
        prev_date = previous_date_if_recent(config.timezone, t, config.window_secs) if accepted_hit else None
        salt = known.salts.get(date)
        prev_salt = known.salts.get(prev_date) if prev_date else None
        if accepted_hit and (salt is None or (prev_date and prev_salt is None)):
            out.unresolved.append(item)
            out.dates.update(d for d in (date, prev_date) if d and d not in known.salts)
            continue
        batch = current.get(config.public_id)
        if batch is None or batch.hit_count >= batch_max:
            batch = current[config.public_id] = TrackerBatch(config.public_id, config.window_secs)
            out.batches.append(batch)
        if not accepted_hit:
            batch.drop(date, verdict.reason)
            continue
        vid, prev_vid = hits.visitor_ids(config, client, salt, prev_salt)
        batch.add(t, date, hits.pack_hit(hit, verdict.record, vid, prev_vid))
    return out
