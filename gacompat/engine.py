"""Grouping and counting for both APIs: plain functions over packed records and logged hits.

The hot path (100,000 active visitors) splits each packed record once, keeps only the columns
the query needs, and counts identical projections in C (`collections.Counter`); converters,
filters and grouping then run once per distinct projection, not once per visitor.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter, methodcaller
from typing import Callable, Iterable, Mapping, NamedTuple

from realtime.keys import FIELD_SEP
from gacompat.registry import COL_EVENT, COL_MINUTES, CONSTANT, RECORD_WIDTH, Dimension, PageLookup, R

Key = tuple[str, ...]
Values = dict[str, str]


class Hit(NamedTuple):
    """One logged pageview or event: unix time, kind (pv|ev), packed record, packed event, visitor.
    (A tuple: the 30-minute log can hold 200,000 of them.)"""

    t: float
    kind: str
    record: str
    event: str
    visitor: str


@dataclass
class Grouping:
    """What to group by and which items to keep, resolved from a query.

    `dims` give the row key; `filter_dims` are the dimensions a filter reads; `predicate`
    receives `{dimension name: value}` for them and says whether the item counts."""

    dims: list[Dimension]
    filter_dims: list[Dimension]
    predicate: Callable[[Values], bool] | None = None

    @property
    def columns(self) -> tuple[int, ...]:
        cols: list[int] = []
        for dim in (*self.dims, *self.filter_dims):
            for col in (dim.column, dim.also):
                if col is not None and col != CONSTANT and col not in cols:
                    cols.append(col)
        # Record columns first, then hit-only cells: projections are built in that order.
        return tuple(sorted(cols))

    @property
    def needs_hits(self) -> bool:
        return any(d.hit_only for d in (*self.dims, *self.filter_dims))


def _resolver(grouping: Grouping, columns: tuple[int, ...], pages: PageLookup) -> Callable[[tuple], Key | None]:
    """projection -> row key, or None when the filter drops it; memoised per projection."""
    position = {col: i for i, col in enumerate(columns)}
    dims, filter_dims, predicate = grouping.dims, grouping.filter_dims, grouping.predicate
    memo: dict[tuple, Key | None] = {}

    def value(dim: Dimension, projection: tuple) -> str:
        raw = projection[position[dim.column]] if dim.column != CONSTANT else ""
        if dim.also is not None:
            raw = (raw, projection[position[dim.also]])
        return dim.convert(raw, pages)

    def resolve(projection: tuple) -> Key | None:
        try:
            return memo[projection]
        except KeyError:
            pass
        key: Key | None = tuple(value(d, projection) for d in dims)
        if predicate is not None and not predicate({d.name: value(d, projection) for d in filter_dims}):
            key = None
        memo[projection] = key
        return key

    return resolve


def _record_projector(record_cols: tuple[int, ...]) -> Callable[[str], tuple]:
    """packed record -> tuple of the wanted record columns (padded if the record is short)."""
    if not record_cols:
        return lambda packed: ()
    last = record_cols[-1]
    getter = itemgetter(*record_cols)
    single = len(record_cols) == 1

    def project(packed: str) -> tuple:
        parts = packed.split(FIELD_SEP, last + 1)
        if len(parts) <= last:
            parts += [""] * (last + 1 - len(parts))
        got = getter(parts)
        return (got,) if single else got

    return project


def needed_page_ids(grouping: Grouping, projections: Iterable[tuple]) -> set[str]:
    """Page ids among the projections, when a page dimension is involved (to fetch their meta)."""
    page_col = R["page_id"]
    if not any(d.column == page_col for d in (*grouping.dims, *grouping.filter_dims)):
        return set()
    columns = grouping.columns
    i = columns.index(page_col)
    return {p[i] for p in projections}


# --- active visitors (their current record) ----------------------------------------------


def project_visitors(records: list[str], grouping: Grouping, minus: Iterable[str] = ()) -> Counter:
    """Counter of projections over packed records, less those of the `minus` records.

    The common case runs entirely in C (split, itemgetter, Counter over `map`): about 0.2 us a
    visitor; a record shorter than the columns (an older layout) takes the padded path."""
    columns = grouping.columns
    if any(c >= RECORD_WIDTH for c in columns):
        raise ValueError("hit-only dimensions need the hit log")
    minus = list(minus)
    if not columns:
        return Counter({(): len(records) - len(minus)}) if len(records) > len(minus) else Counter()
    getter = itemgetter(*columns)
    splitter = methodcaller("split", FIELD_SEP, columns[-1] + 1)
    try:
        out = Counter(map(getter, map(splitter, records)))
        if len(columns) == 1:
            out = Counter({(value,): n for value, n in out.items()})
    except IndexError:
        out = Counter(map(_record_projector(columns), records))
    if minus:
        out.subtract(map(_record_projector(columns), minus))
        out = +out
    return out


def fold(projections: Mapping[tuple, int], grouping: Grouping, pages: PageLookup) -> dict[Key, int]:
    """Sum weighted projections into rows."""
    resolve = _resolver(grouping, grouping.columns, pages)
    rows: dict[Key, int] = defaultdict(int)
    for projection, n in projections.items():
        key = resolve(projection)
        if key is not None:
            rows[key] += n
    return dict(rows)


def fold_users(projections: Mapping[tuple, set[str]], grouping: Grouping, pages: PageLookup) -> dict[Key, set[str]]:
    """Union visitor sets of projections into rows (distinct users per row)."""
    resolve = _resolver(grouping, grouping.columns, pages)
    rows: dict[Key, set[str]] = defaultdict(set)
    for projection, visitors in projections.items():
        key = resolve(projection)
        if key is not None:
            rows[key] |= visitors
    return dict(rows)


# --- logged hits ---------------------------------------------------------------------------


def minutes_ago(t: float, now_minute: int) -> int:
    return now_minute - int(t // 60)


def _hit_projector(columns: tuple[int, ...], now_minute: int) -> Callable[[Hit], tuple]:
    record_cols = tuple(c for c in columns if c < RECORD_WIDTH)
    project = _record_projector(record_cols)
    want_minutes, want_event = COL_MINUTES in columns, COL_EVENT in columns
    if not want_minutes and not want_event:
        return lambda hit: project(hit.record)

    def project_hit(hit: Hit) -> tuple:
        extra: tuple = ()
        if want_minutes:
            extra += ("%02d" % minutes_ago(hit.t, now_minute),)
        if want_event:
            extra += (hit.event,)
        return project(hit.record) + extra

    return project_hit


PAGE_COLUMNS = frozenset({R["page_id"], COL_MINUTES})


def reads_only_pages(grouping: Grouping) -> bool:
    """Whether the grouping reads nothing of a hit but its page and minute: pageviews can then
    be counted from the pageviews by page and minute (`realtime.keys.MINUTE_PAGE_VIEWS`)."""
    return set(grouping.columns) <= PAGE_COLUMNS


def reads_records(grouping: Grouping) -> bool:
    """Whether the grouping reads a record column other than the page id: only then does a hit-log
    read look up the visitor records its entries reference."""
    return any(c < RECORD_WIDTH and c != R["page_id"] for c in grouping.columns)


def reads_visitor_fields(grouping: Grouping) -> bool:
    """Whether the grouping reads record columns other than the page id and of a hit nothing but
    its minute: hits can then be counted by visitor, each visitor's record projected once
    (`project_by_visitor`), instead of rebuilding a record per hit."""
    columns = set(grouping.columns)
    return reads_records(grouping) and R["page_id"] not in columns and COL_EVENT not in columns


def _project_all(records: list[str], record_cols: tuple[int, ...]) -> list:
    """Projections of packed records: the column's value when there is one column, else a tuple.
    In C but for records shorter than the columns (an older layout)."""
    getter = itemgetter(*record_cols)
    try:
        return list(map(getter, map(methodcaller("split", FIELD_SEP, record_cols[-1] + 1), records)))
    except IndexError:
        project = _record_projector(record_cols)
        if len(record_cols) == 1:
            return [project(r)[0] for r in records]
        return list(map(project, records))


def project_by_visitor(refs: Iterable[tuple[int, str, list[str]]], inline: list[Hit],
                       records: tuple[list[str], list[str]], kinds: frozenset[str], grouping: Grouping,
                       now_minute: int, first_minute: int, last_minute: int | None = None) -> Counter:
    """What `project_hits` gives over the hits of the minutes from `first_minute` to
    `last_minute` (no end when None) when `reads_visitor_fields(grouping)`, from
    `live_state.visitor_refs` and `referenced_records`: each visitor's record is projected once,
    then the hits referencing it are counted by projection in C; a visitor whose record is gone
    reads as an empty record, as in `hits_since`."""
    columns = grouping.columns
    record_cols = tuple(c for c in columns if c < RECORD_WIDTH)
    single = len(record_cols) == 1
    ids, recs = records
    projected = dict(zip(ids, _project_all(recs, record_cols)))
    missing = "" if single else ("",) * len(record_cols)
    with_minute = COL_MINUTES in columns
    out: Counter = Counter()
    for minute, kind, vids in refs:
        if kind not in kinds or minute < first_minute or (last_minute is not None and minute > last_minute):
            continue
        cell = ("%02d" % (now_minute - minute),) if with_minute else ()
        for projection, n in Counter(map(projected.get, vids, repeat(missing))).items():
            out[((projection,) if single else projection) + cell] += n
    hi = last_minute if last_minute is not None else now_minute + 2
    out.update(project_hits(in_minutes(inline, now_minute, now_minute - first_minute, now_minute - hi),
                            kinds, grouping, now_minute))
    return out


def project_page_minutes(by_minute: Mapping[int, Mapping[str, int]], grouping: Grouping, now_minute: int,
                         first_minute: int, last_minute: int | None = None) -> Counter:
    """Counter of projections over pageviews by page and minute, for the minutes from
    `first_minute` to `last_minute` (no end when None): what `project_hits` gives for the
    pageviews of those minutes when `reads_only_pages(grouping)`."""
    columns = grouping.columns
    page_col = R["page_id"]
    out: Counter = Counter()
    for minute, pages in by_minute.items():
        if minute < first_minute or (last_minute is not None and minute > last_minute):
            continue
        cell = "%02d" % (now_minute - minute)
        if columns == (page_col,):
            out.update({(pid,): n for pid, n in pages.items()})
        else:
            for pid, n in pages.items():
                out[tuple(pid if c == page_col else cell for c in columns)] += n
    return out


def in_minutes(hits: Iterable[Hit], now_minute: int, start_ago: int, end_ago: int) -> list[Hit]:
    """Hits whose minute is between `end_ago` and `start_ago` minutes ago, both included."""
    lo, hi = now_minute - start_ago, now_minute - end_ago
    return [h for h in hits if lo <= int(h.t // 60) <= hi]


def project_hits(hits: Iterable[Hit], kinds: frozenset[str], grouping: Grouping, now_minute: int) -> Counter:
    """Counter of projections over the hits of the given kinds."""
    if grouping.columns and grouping.columns[-1] < RECORD_WIDTH:
        # Record columns only: the visitors' C path over the hits' records.
        return project_visitors([h.record for h in hits if h.kind in kinds], grouping)
    project = _hit_projector(grouping.columns, now_minute)
    return Counter(project(h) for h in hits if h.kind in kinds)


def project_hit_users(hits: Iterable[Hit], grouping: Grouping, now_minute: int,
                      allowed: set[str] | None = None) -> dict[tuple, set[str]]:
    """Projection -> distinct visitors having such a hit (only `allowed` visitors when given)."""
    project = _hit_projector(grouping.columns, now_minute)
    out: dict[tuple, set[str]] = defaultdict(set)
    for hit in hits:
        if hit.visitor and (allowed is None or hit.visitor in allowed):
            out[project(hit)].add(hit.visitor)
    return out


# --- sorting ---------------------------------------------------------------------------------


def text_key(value: str) -> tuple[str, str]:
    """en-US-like alphabetical order: case-insensitive first, then exact for a stable order."""
    return value.casefold(), value


def sort_rows(rows: list[list], keys: list[tuple[int, bool, Callable]]) -> list[list]:
    """Stable multi-key sort: `(column index, descending, key function)`, earlier keys first."""
    for index, descending, keyfunc in reversed(keys):
        rows.sort(key=lambda row, i=index, k=keyfunc: k(row[i]), reverse=descending)
    return rows
