"""Reads and writes of the history rollup (the `history` app): the per-slot and per-day
counters that ingest.lua's `count_history` keeps, each date's mark, and the restore of a date
that Redis lost. Key shapes in `realtime.keys` (`tracker_base`, `history_lock`)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from realtime import keys
from realtime.live_state.clients import _evalsha, client, raw_client, script


@dataclass
class DayCounters:
    """One local date of one tracker, as Redis holds it."""

    date: str
    marked: bool
    pageviews: int
    uniques: int
    registers: bytes  # the day's HyperLogLog string (GET), b"" when absent
    pages: dict[str, int] = field(default_factory=dict)  # page id -> pageviews
    page_visits: dict[str, int] = field(default_factory=dict)  # page id -> visits begun there


@dataclass
class TrackerCounters:
    public_id: str
    days: dict[str, DayCounters]
    slots: dict[int, tuple[int, int]]  # UTC slot -> (pageviews, visits begun)


@dataclass
class RestoreDay:
    """A date's counts from the database, to add back into an emptied Redis."""

    date: str
    pageviews: int
    registers: bytes
    pages: list[tuple[str, int, int]]  # (page id, pageviews, visits begun)
    slots: list[tuple[int, int, int]]  # (UTC slot, pageviews, visits begun)


def _hash(flat: list) -> dict[str, int]:
    return {flat[i].decode(): int(flat[i + 1]) for i in range(0, len(flat), 2)}


def _parse(public_id: str, dates: list[str], slots: list[int], raw: list) -> TrackerCounters:
    days, pos = {}, 0
    for date in dates:
        marked, pvt, uniques, regs, pages, visits = raw[pos:pos + 6]
        days[date] = DayCounters(date, bool(marked), int(pvt), int(uniques), bytes(regs), _hash(pages), _hash(visits))
        pos += 6
    counts = {slot: (int(raw[pos + 2 * i]), int(raw[pos + 2 * i + 1])) for i, slot in enumerate(slots)}
    return TrackerCounters(public_id, days, counts)


def history_read(requests: list[tuple[str, list[str], list[int]]]) -> list[TrackerCounters]:
    """Counters of several trackers, (public id, local dates, UTC slots) each, in one round trip
    (plus a SCRIPT LOAD, so a restarted Redis never fails the pipeline)."""
    conn = raw_client()
    lua = script("history_read")
    conn.script_load(lua.source)
    pipe = conn.pipeline(transaction=False)
    for public_id, dates, slots in requests:
        # execute_command: a cluster pipeline blocks .evalsha by name (see live_state.ingest).
        pipe.execute_command("EVALSHA", lua.sha, 1, keys.tracker_base(public_id), len(dates), *dates, *slots)
    return [_parse(pid, dates, slots, raw) for (pid, dates, slots), raw in zip(requests, pipe.execute())]


def history_page_meta(requests: list[tuple[str, list[str]]]) -> list[dict[str, list[str]]]:
    """Stored page descriptions (host, path, title, og:image, author, pubdate) by page id, for
    several (public id, page ids) in one round trip. Pages without one are left out."""
    pipe = client().pipeline(transaction=False)
    for public_id, page_ids in requests:
        pipe.hmget(keys.tracker_key(public_id, keys.PAGE_META), page_ids or ["-"])
    found = []
    for (_pid, page_ids), values in zip(requests, pipe.execute()):
        found.append({p: v.split(keys.PART_SEP) for p, v in zip(page_ids, values) if v})
    return found


def history_restore(public_id: str, day: RestoreDay) -> bool:
    """Add a date's database counts back into Redis if its mark is absent, and mark it
    (atomic: of two workers, one restores). True when this call set the mark."""
    args: list = [day.date, day.registers, day.pageviews, len(day.pages)]
    for page in day.pages:
        args.extend(page)
    for slot in day.slots:
        args.extend(slot)
    return bool(_evalsha(raw_client(), script("history_restore"), [keys.tracker_base(public_id)], args))


def history_lock_acquire() -> str | None:
    token = secrets.token_hex(8)
    return token if client().set(keys.history_lock(), token, nx=True, ex=keys.HISTORY_LOCK_SECS) else None


_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def history_lock_release(token: str) -> None:
    client().eval(_RELEASE, 1, keys.history_lock(), token)
