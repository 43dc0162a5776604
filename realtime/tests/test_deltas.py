"""Patches between snapshots (realtime.deltas): what they contain, and that applying one to the
old snapshot gives the new one exactly."""

import random

import pytest

from realtime import deltas


def page(url: str, users: int, sources=()) -> dict:
    return {"url": url, "host": "planet.example", "title": url, "realtime_users": users,
            "sources": [{"medium": m, "source": s, "count": c, "percent": 0, "children": []} for m, s, c in sources]}


def test_an_unchanged_snapshot_has_an_empty_patch():
    snap = {"total": 3, "top_pages": [page("/a", 2), page("/b", 1)], "series": [1, 2, 3]}
    assert deltas.diff(snap, {**snap}) == {}


def test_numbers_that_moved_are_sent_and_nothing_else():
    old = {"total": 3, "devices": {"mobile": 1, "desktop": 2}, "site": "x"}
    new = {"total": 4, "devices": {"mobile": 2, "desktop": 2}, "site": "x"}
    assert deltas.diff(old, new) == {"total": 4, "devices": {"mobile": 2}}


def test_a_row_that_changed_in_place_is_patched_by_its_index():
    old = {"top_pages": [page("/a", 5), page("/b", 3)]}
    new = {"top_pages": [page("/a", 5), page("/b", 4)]}
    assert deltas.diff(old, new) == {"top_pages": {"u": {"1": {"realtime_users": 4}}}}


def test_reordered_rows_are_sent_as_old_indexes_and_new_rows_in_full():
    old = {"top_pages": [page("/a", 5), page("/b", 3), page("/c", 1)]}
    new = {"top_pages": [page("/b", 6), page("/new", 2), page("/a", 5)]}
    patch = deltas.diff(old, new)
    assert patch == {"top_pages": {"o": [1, page("/new", 2), 0], "u": {"0": {"realtime_users": 6}}}}
    assert deltas.apply(old, patch) == new


def test_runs_of_old_rows_in_their_old_order_are_sent_as_first_index_and_count():
    old = {"cities": [{"name": f"City {i}", "count": 100 - i} for i in range(10)]}
    new = {"cities": old["cities"][:4] + [old["cities"][5], old["cities"][4]] + old["cities"][6:9]}

    patch = deltas.diff(old, new)

    assert patch == {"cities": {"o": [[0, 4], 5, 4, [6, 3]]}}
    assert deltas.apply(old, patch) == new


def test_a_list_that_empties_or_fills_is_patched_too():
    full, empty = {"cities": [{"name": "Bern", "count": 1}]}, {"cities": []}
    assert deltas.apply(full, deltas.diff(full, empty)) == empty
    assert deltas.apply(empty, deltas.diff(empty, full)) == full


def test_rows_with_the_same_key_pair_up_in_order():
    old = {"cities": [{"name": "Springfield", "count": 3}, {"name": "Springfield", "count": 1}]}
    new = {"cities": [{"name": "Paris", "count": 4}, {"name": "Springfield", "count": 3}, {"name": "Springfield", "count": 2}]}
    assert deltas.apply(old, deltas.diff(old, new)) == new


def test_nested_lists_of_a_row_are_patched_by_their_own_keys():
    old = {"top_pages": [page("/a", 5, [("search", "Google", 3), ("(none)", "(direct)", 2)])]}
    new = {"top_pages": [page("/a", 6, [("(none)", "(direct)", 3), ("search", "Google", 3)])]}
    patch = deltas.diff(old, new)
    assert patch == {"top_pages": {"u": {"0": {"realtime_users": 6, "sources": {"o": [1, 0], "u": {"0": {"count": 3}}}}}}}
    assert deltas.apply(old, patch) == new


def test_applying_leaves_the_old_snapshot_as_it_was():
    old = {"top_pages": [page("/a", 5)], "devices": {"mobile": 1}}
    new = {"top_pages": [page("/a", 6)], "devices": {"mobile": 2}}
    before = repr(old)
    deltas.apply(old, deltas.diff(old, new))
    assert repr(old) == before


def test_a_change_of_fields_cannot_be_patched():
    with pytest.raises(deltas.Inexpressible):
        deltas.diff({"a": 1}, {"b": 1})


def test_a_list_of_rows_without_a_declared_identity_cannot_be_patched():
    with pytest.raises(deltas.Inexpressible):
        deltas.diff({"things": [{"a": 1}]}, {"things": [{"a": 2}]})


def test_random_successive_snapshots_round_trip_exactly():
    rng = random.Random(16)
    urls = [f"/story-{i}" for i in range(80)]
    sources = [("search", "Google"), ("social", "Facebook"), ("(none)", "(direct)"), ("referral", "t.co")]

    def snapshot() -> dict:
        pages = [page(u, rng.randint(0, 50), [(m, s, rng.randint(1, 9)) for m, s in rng.sample(sources, rng.randint(0, 4))])
                 for u in rng.sample(urls, rng.randint(0, 50))]
        pages.sort(key=lambda p: -p["realtime_users"])
        return {"total": rng.randint(0, 999), "top_pages": pages,
                "countries": [{"code": c, "name": c, "count": rng.randint(1, 9)} for c in rng.sample("ABCDEFGH", 5)],
                "series": [rng.randint(0, 9) for _ in range(30)]}

    old = snapshot()
    for _ in range(200):
        new = snapshot()
        assert deltas.apply(old, deltas.diff(old, new)) == new
        old = new
