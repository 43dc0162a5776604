"""What changed between two snapshots, as the patches of `realtime.payloads` (ObjectPatch,
ListPatch), and how a client applies them. Pure: no Redis, Django or I/O.

`diff` runs once per tracker per build (`realtime.snapshot.store`); `apply` is the reference
of what the dashboard's JavaScript (`NM.applyPatch` in live.js) and SSE clients do. A row of a
top list is identified by its `payloads.ROW_IDENTITY` fields, so a page that moves from 7th to
2nd costs its new index in the order, not its whole row."""

from __future__ import annotations

from typing import Any

from realtime.payloads import ROW_IDENTITY, ListPatch, ObjectPatch


class Inexpressible(ValueError):
    """The change cannot be written as a patch (an object lost or gained fields, a list of rows
    whose identity is not declared): send the whole snapshot instead."""


def diff(old: dict, new: dict) -> ObjectPatch:
    """The patch that turns `old` into `new` (`{}` when they are equal)."""
    if old.keys() != new.keys():
        raise Inexpressible(f"fields changed: {sorted(old.keys() ^ new.keys())}")
    patch: ObjectPatch = {}
    for name, value in new.items():
        before = old[name]
        if before == value:
            continue
        if isinstance(before, dict) and isinstance(value, dict):
            patch[name] = diff(before, value)
        elif _is_rows(before) or _is_rows(value):
            patch[name] = _diff_rows(name, before, value)
        else:
            patch[name] = value
    return patch


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _row_keys(name: str, rows: list[dict]) -> list[tuple]:
    """Each row's identity, with its occurrence number so repeated keys pair up in order."""
    fields = ROW_IDENTITY.get(name)
    if fields is None:
        raise Inexpressible(f"no row identity declared for {name!r}")
    seen: dict[tuple, int] = {}
    out = []
    for row in rows:
        key = tuple(row[f] for f in fields)
        seen[key] = seen.get(key, -1) + 1
        out.append((key, seen[key]))
    return out


def _diff_rows(name: str, old: list[dict], new: list[dict]) -> ListPatch:
    where = {key: i for i, key in enumerate(_row_keys(name, old))}
    order: list = []
    updates: dict[str, ObjectPatch] = {}
    for j, (key, row) in enumerate(zip(_row_keys(name, new), new)):
        i = where.get(key)
        if i is None:
            order.append(row)
            continue
        order.append(i)
        if old[i] != row:
            updates[str(j)] = diff(old[i], row)
    patch: ListPatch = {}
    if order != list(range(len(old))):
        patch["o"] = _runs(order)
    if updates:
        patch["u"] = updates
    return patch


RUN_MIN = 3  # shorter runs of old rows cost less as single indexes


def _runs(order: list) -> list:
    """Runs of RUN_MIN or more consecutive old rows as `[first index, count]`: a list whose
    rows mostly kept their order costs a few entries, not one per row."""
    out: list = []
    i = 0
    while i < len(order):
        entry = order[i]
        j = i + 1
        if isinstance(entry, int):
            while j < len(order) and isinstance(order[j], int) and order[j] == entry + (j - i):
                j += 1
        if j - i >= RUN_MIN:
            out.append([entry, j - i])
        else:
            out.extend(order[i:j])
        i = j
    return out


def apply(old: dict, patch: ObjectPatch) -> dict:
    """`old` with `patch` applied, as a new object (`old` is left as it was)."""
    new = dict(old)
    for name, change in patch.items():
        before = old.get(name)
        if isinstance(change, dict) and isinstance(before, dict):
            new[name] = apply(before, change)
        elif isinstance(change, dict) and isinstance(before, list):
            new[name] = _apply_rows(before, change)
        else:
            new[name] = change
    return new


def _apply_rows(old: list[dict], patch: ListPatch) -> list[dict]:
    order = patch.get("o")
    if order is None:
        rows = list(old)
    else:
        rows = []
        for entry in order:
            if isinstance(entry, int):
                rows.append(old[entry])
            elif isinstance(entry, list):
                rows.extend(old[entry[0]:entry[0] + entry[1]])
            else:
                rows.append(entry)
    for index, change in patch.get("u", {}).items():
        rows[int(index)] = apply(rows[int(index)], change)
    return rows
