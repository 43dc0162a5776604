"""What changed between two snapshots, as the patches of `realtime.payloads` (ObjectPatch,
ListPatch, RowPatch), and how a client applies them. Pure: no Redis, Django or I/O.

`diff` runs once per tracker per build (`realtime.snapshot.store`); `apply` is the reference
of what the dashboard's JavaScript (`NM.applyPatch` in deltas.js) and SSE clients do. A row of a
top list is identified by its `payloads.ROW_IDENTITY` fields, so a page that moves from 7th to
2nd costs its new index in the order, not its whole row. Most of a delta at high traffic is rows
whose counts moved, so a row's change names its fields by position (`ROW_FIELDS`), a count that
moved alone is one number, and what a client can recompute (`SUMMED`, `SHARES`) is left out."""

from __future__ import annotations

from typing import Any

from realtime.payloads import (ROW_COUNT, ROW_FIELDS, ROW_IDENTITY, SHARES, SUMMED, ListPatch, ObjectPatch,
                               RowPatch, percent)


class Inexpressible(ValueError):
    """The change cannot be written as a patch (an object lost or gained fields, a list of rows
    whose identity is not declared, a derived field that is not what a client would compute):
    send the whole snapshot instead."""


def diff(old: dict, new: dict) -> ObjectPatch:
    """The patch that turns `old` into `new` (`{}` when they are equal)."""
    if old.keys() != new.keys():
        raise Inexpressible(f"fields changed: {sorted(old.keys() ^ new.keys())}")
    patch: ObjectPatch = {}
    changed = set()
    for name, value in new.items():
        before = old[name]
        if before == value:
            continue
        changed.add(name)
        if isinstance(before, dict) and isinstance(value, dict):
            patch[name] = diff(before, value)
        elif _is_rows(before) or _is_rows(value):
            rows = _diff_rows(name, before, value, _shares(name, new))
            if rows:
                patch[name] = rows
        else:
            patch[name] = value
    _check_shares(new, changed)
    return patch


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _shares(name: str, owner: dict) -> bool:
    """Whether the rows of list `name` in `owner` have their `percent` derived (SHARES)."""
    return name in SHARES and SHARES[name] in owner


def _check_shares(owner: dict, changed) -> None:
    """A client recomputes the shares of a list whose rows or total changed: they must be right."""
    for name, total in SHARES.items():
        if (name in changed or total in changed) and isinstance(owner.get(name), list) and total in owner:
            if any(row["percent"] != percent(row["count"], owner[total]) for row in owner[name]):
                raise Inexpressible(f"{name}: a percent is not the share of {total}")


def _summed(name: str, row: dict) -> bool:
    """Whether the row's `count` is derived (SUMMED): checked, as a client will recompute it."""
    if name not in SUMMED or not row.get("children"):
        return False
    if row["count"] != sum(child["count"] for child in row["children"]):
        raise Inexpressible(f"{name}: a count is not the sum of its children")
    return True


def _row_keys(name: str, rows: list[dict]) -> list[tuple]:
    """Each row's identity, with its occurrence number so repeated keys pair up in order."""
    fields = ROW_IDENTITY.get(name)
    if fields is None or name not in ROW_FIELDS:
        raise Inexpressible(f"no row identity declared for {name!r}")
    seen: dict[tuple, int] = {}
    out = []
    for row in rows:
        key = tuple(row[f] for f in fields)
        seen[key] = seen.get(key, -1) + 1
        out.append((key, seen[key]))
    return out


def _diff_rows(name: str, old: list[dict], new: list[dict], shares: bool) -> ListPatch:
    where = {key: i for i, key in enumerate(_row_keys(name, old))}
    order: list = []
    updates: list = []
    for j, (key, row) in enumerate(zip(_row_keys(name, new), new)):
        i = where.get(key)
        if i is None:
            order.append(_sent(name, row, shares))
            continue
        order.append(i)
        if old[i] != row:
            change = _diff_row(name, old[i], row, shares)
            if change != []:
                updates += [j, change]
    patch: ListPatch = {}
    if order != list(range(len(old))):
        patch["o"] = _runs(order)
    if updates:
        patch["u"] = updates
    return patch


def _diff_row(name: str, old: dict, new: dict, shares: bool) -> RowPatch:
    fields = ROW_FIELDS[name]
    if old.keys() != new.keys() or new.keys() != set(fields):
        raise Inexpressible(f"{name}: a row's fields are not {fields}")
    derived = {"percent"} if shares else set()
    _summed(name, old)  # checked too: a client keeps the old count of a row the patch leaves alone
    if _summed(name, new):
        derived.add("count")
    pairs: list = []
    changed = set()
    for index, field in enumerate(fields):
        before, value = old[field], new[field]
        if before == value:
            continue
        changed.add(field)
        if field in derived:
            continue
        if _is_rows(before) or _is_rows(value):
            value = _diff_rows(field, before, value, _shares(field, new))
            if not value:
                continue
        elif isinstance(before, dict) and isinstance(value, dict):
            value = diff(before, value)
        pairs += [index, value]
    _check_shares(new, changed)
    count = ROW_COUNT[name]
    if pairs[:1] == [fields.index(count)] and len(pairs) == 2 and type(old[count]) is type(new[count]) is int:
        return new[count] - old[count]
    return pairs


def _sent(name: str, row: dict, shares: bool) -> dict:
    """A new row as a patch carries it: in full, less its derived fields (nested rows' too)."""
    summed = _summed(name, row)
    out = {}
    for field, value in row.items():
        if (field == "percent" and shares) or (field == "count" and summed):
            continue
        if _is_rows(value):
            value = [_sent(field, child, _shares(field, row)) for child in value]
        out[field] = value
    _check_shares(row, row.keys())
    return out


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
    """`old` with `patch` applied, as a new object (`old` and `patch` are left as they were)."""
    new = dict(old)
    for name, change in patch.items():
        before = old.get(name)
        if isinstance(change, dict) and isinstance(before, dict):
            new[name] = apply(before, change)
        elif isinstance(change, dict) and isinstance(before, list):
            new[name] = _apply_rows(name, before, change)
        else:
            new[name] = change
    _derive_shares(new, patch.keys())
    return new


def _apply_rows(name: str, old: list[dict], patch: ListPatch) -> list[dict]:
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
                rows.append(_complete(name, entry))
    updates = patch.get("u", [])
    for k in range(0, len(updates), 2):
        index, change = updates[k], updates[k + 1]
        row = rows[index]
        if isinstance(change, int):
            count = ROW_COUNT[name]
            row = apply(row, {count: row[count] + change})
        else:
            fields = ROW_FIELDS[name]
            row = apply(row, {fields[change[i]]: change[i + 1] for i in range(0, len(change), 2)})
        rows[index] = _derive_sum(name, row)
    return rows


def _complete(name: str, sent: dict) -> dict:
    """A new row as sent, with its derived fields (nested rows' first)."""
    row = {field: [_complete(field, child) for child in value] if _is_rows(value) else value
           for field, value in sent.items()}
    row = _derive_sum(name, row)
    _derive_shares(row, row.keys())
    return row


def _derive_sum(name: str, row: dict) -> dict:
    if name in SUMMED and row.get("children"):
        return _with(name, row, "count", sum(child["count"] for child in row["children"]))
    return row


def _derive_shares(owner: dict, touched) -> None:
    """Recompute, in place, the shares of the lists of `owner` whose rows or total a patch touched."""
    for name, total in SHARES.items():
        if (name in touched or total in touched) and isinstance(owner.get(name), list) and total in owner:
            owner[name] = [_with(name, row, "percent", percent(row["count"], owner[total])) for row in owner[name]]


def _with(name: str, row: dict, field: str, value: Any) -> dict:
    """`row` with `field` set to `value`, fields in their declared order; `row` itself if it has it."""
    if field in row and row[field] == value:
        return row
    return {f: value if f == field else row[f] for f in ROW_FIELDS[name] if f in row or f == field}
