"""Reads of the 30-minute hit log (`keys.HIT_LOG`), the pageviews by page and minute
(`keys.MINUTE_PAGE_VIEWS`) and the minute series (`keys.MINUTE_*`), which the GA-compatible APIs
query."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from realtime import keys
from realtime.live_state.clients import client

_RESOLVE_ONE_BY_ONE = 5_000  # more referenced visitors than this: read the record hashes whole

LoggedHit = tuple[float, str, str, str, str]  # start of the hit's minute (unix s), kind, packed record, packed event, visitor id


def _read(public_id: str, since: float) -> list[tuple[float, list[list[str]]]]:
    """Per minute logged in the 30 minutes from `since` on (and the next two, for a writer's
    clock slightly ahead): its start (unix s) and its hits as `[kind, visitor, page id, event,
    record after the page id or ""]`. One MGET; the splitting runs in C."""
    first = int(since // 60)
    minutes = range(first, first + keys.MINUTE_SERIES_SECS // 60 + 2)
    blobs = client().mget([keys.tracker_key(public_id, keys.HIT_LOG, m) for m in minutes])
    sep = keys.FIELD_SEP
    out = []
    for minute, blob in zip(minutes, blobs):
        if blob:
            rows = [packed.split(sep, 4) for packed in blob.split(keys.HIT_SEP)]
            rows.pop()  # after the last separator
            out.append((float(minute * 60), rows))
    return out


def _profiles(public_id: str, vids: list[str]) -> dict[str, str]:
    """visitor id -> the record after the page id that their logged hits reference: the first of
    `:hprof`, `:vis` (after its page id), `:left` holding them. One transaction, so a visitor
    leaving the live state in between is found in one of them; the hashes whole (HGETALL) when
    many visitors are wanted, as building a command of 100,000 ids costs more than reading them."""
    names = [keys.tracker_key(public_id, s) for s in (keys.HIT_PROFILES, keys.VISITORS, keys.LEFT)]
    pipe = client().pipeline(transaction=True)
    bulk = len(vids) > _RESOLVE_ONE_BY_ONE
    for name in names:
        if bulk:
            pipe.hgetall(name)
        else:
            pipe.hmget(name, vids)
    frozen, live, kept = pipe.execute()
    sep = keys.FIELD_SEP
    if bulk:
        out = {vid: rec.partition(sep)[2] for vid, rec in live.items()}
        for vid, rest in kept.items():
            out.setdefault(vid, rest)
        out.update(frozen)
        return out
    out = {}
    for vid, a, b, c in zip(vids, frozen, live, kept):
        if a is not None:
            out[vid] = a
        elif b is not None:
            out[vid] = b.partition(sep)[2]
        elif c is not None:
            out[vid] = c
    return out


def hits_since(public_id: str, since: float, records: bool = True) -> list[LoggedHit]:
    """Logged pageviews and events of the 30 minutes from `since` on: `(start of the hit's minute,
    kind, packed record, packed event, visitor id)`. Without `records` the record is the page id
    alone (for callers that read no other field): one round trip; with them, one more to find
    the records the entries reference. A record not found (its visit ended while this read ran)
    reads as empty."""
    minutes = _read(public_id, since)
    out: list[LoggedHit] = []
    if not records:
        for t, rows in minutes:
            out.extend([(t, kind, pid, event, vid) for kind, vid, pid, event, _ in rows])
        return out
    wanted = list({row[1] for _, rows in minutes for row in rows if not row[4]})
    profiles = _profiles(public_id, wanted) if wanted else {}
    sep = keys.FIELD_SEP
    for t, rows in minutes:
        out.extend([(t, kind, pid + sep + (rest or profiles.get(vid, "")), event, vid)
                    for kind, vid, pid, event, rest in rows])
    return out


def page_minute_pageviews(public_id: str, minutes: range) -> dict[int, dict[str, int]]:
    """unix minute -> {page id: pageviews logged in that minute}, for the given minutes. One
    round trip (an HGETALL per minute)."""
    pipe = client().pipeline(transaction=False)
    for minute in minutes:
        pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_PAGE_VIEWS, minute))
    return {minute: {pid: int(n) for pid, n in found.items()}
            for minute, found in zip(minutes, pipe.execute()) if found}


def minute_counts(public_id: str) -> tuple[dict[int, int], dict[int, int]]:
    """Pageviews and events by unix minute. One round trip."""
    pipe = client().pipeline(transaction=False)
    pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_PAGEVIEWS))
    pipe.hgetall(keys.tracker_key(public_id, keys.MINUTE_EVENTS))
    pv, ev = pipe.execute()
    return {int(m): int(n) for m, n in pv.items()}, {int(m): int(n) for m, n in ev.items()}


def _entries(kind: str, referencing: bool) -> re.Pattern:
    """A kind's entries in a minute's log with HIT_SEP put before it: those referencing the
    visitor's record (group: visitor id), or those carrying their own (groups: visitor, page id,
    event, record after the page id). Each match starts at its entry's separator and leaves the
    next one's, so every entry is matched once."""
    f = "[^\t%s]*" % keys.HIT_SEP
    head = re.escape(keys.HIT_SEP + kind) + "\t"
    if referencing:
        return re.compile(head + f"({f})\t{f}\t{f}\t(?={keys.HIT_SEP})")
    return re.compile(head + f"({f})\t({f})\t({f})\t([^{keys.HIT_SEP}]+)(?={keys.HIT_SEP})")


@lru_cache(maxsize=8)
def _patterns(kind: str) -> tuple[re.Pattern, re.Pattern]:
    return _entries(kind, True), _entries(kind, False)


def visitor_refs(public_id: str, since: float, kinds: Iterable[str]
                 ) -> tuple[list[tuple[int, str, list[str]]], list[LoggedHit]]:
    """Logged hits of `kinds` of the 30 minutes from `since` on, for counting by visitor: per
    unix minute and kind, the ids of the visitors whose entries reference their record (one id a
    hit, in C: a regular expression over the minute's string, no per-hit Python); and the hits
    carrying their own record, as `hits_since` gives them. One MGET."""
    first = int(since // 60)
    minutes = range(first, first + keys.MINUTE_SERIES_SECS // 60 + 2)
    blobs = client().mget([keys.tracker_key(public_id, keys.HIT_LOG, m) for m in minutes])
    sep = keys.FIELD_SEP
    refs: list[tuple[int, str, list[str]]] = []
    inline: list[LoggedHit] = []
    for minute, blob in zip(minutes, blobs):
        if not blob:
            continue
        blob = keys.HIT_SEP + blob
        for kind in kinds:
            referencing, own = _patterns(kind)
            found = referencing.findall(blob)
            refs.append((minute, kind, found))
            if blob.count(keys.HIT_SEP + kind + sep) > len(found):  # some carry their record
                inline.extend([(float(minute * 60), kind, pid + sep + rest, event, vid)
                               for vid, pid, event, rest in own.findall(blob)])
    return refs, inline


def referenced_records(public_id: str, hit_vids: list[list[str]]) -> tuple[list[str], list[str]]:
    """The records that logged hits of the visitors `hit_vids` (lists of ids, one a hit, as
    `visitor_refs` gives them) reference, as two aligned lists (visitor ids, records
    whose first column, the page, is not the hit's and is left empty or stale): `:left`'s, then
    `:vis`'s, then `:hprof`'s, so that turning them into a dict keeps the first of `:hprof`,
    `:vis`, `:left` holding a visitor (`hits_since`'s order). One transaction; `:vis` whole (HKEYS
    and HVALS, which list a hash in the same order when nothing writes between them, at about
    two thirds of HGETALL's cost) when many visitors are wanted."""
    names = [keys.tracker_key(public_id, s) for s in (keys.LEFT, keys.VISITORS, keys.HIT_PROFILES)]
    pipe = client().pipeline(transaction=True)
    sep = keys.FIELD_SEP
    if sum(map(len, hit_vids)) > _RESOLVE_ONE_BY_ONE:
        # Many hits: `:vis` whole, rather than finding their visitors and an HMGET of so many ids.
        pipe.hgetall(names[0])
        pipe.hkeys(names[1])
        pipe.hvals(names[1])
        pipe.hgetall(names[2])
        kept, live_ids, live, frozen = pipe.execute()
        ids = [*kept, *live_ids, *frozen]
        return ids, [*(sep + r for r in kept.values()), *live, *(sep + r for r in frozen.values())]
    vids = list(set().union(*hit_vids))
    if not vids:
        return [], []
    for name in names:
        pipe.hmget(name, vids)
    kept, live, frozen = pipe.execute()
    ids, records = [], []
    for found, whole in ((kept, False), (live, True), (frozen, False)):
        for vid, rec in zip(vids, found):
            if rec is not None:
                ids.append(vid)
                records.append(rec if whole else sep + rec)
    return ids, records
