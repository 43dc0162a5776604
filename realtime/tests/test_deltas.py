"""Patches between snapshots (realtime.deltas): what they contain, and that applying one to the
old snapshot gives the new one exactly (values and field order)."""

import json
import random

import pytest

from realtime import deltas
from realtime.ingest.record import join_parts
from realtime.snapshot import source_rows


def sources(total: int, *members) -> list[dict]:
    """Source rows as the builder makes them, from (medium, source, child, count)."""
    return source_rows([(join_parts(m, s, c), n) for m, s, c, n in members], total)


def page(url: str, users: int, *members, title: str = "", pageviews: int = 0) -> dict:
    return {"url": url, "host": "planet.example", "title": title or url, "og_image": "", "realtime_users": users,
            "pageviews_today": pageviews, "sources": sources(users, *members)}


def exactly(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def round_trip(old: dict, new: dict) -> dict:
    """The patch, as a client gets it (JSON), checked to rebuild `new` field for field, in order."""
    patch = json.loads(exactly(deltas.diff(old, new)))
    assert exactly(deltas.apply(old, patch)) == exactly(new)
    return patch


def test_an_unchanged_snapshot_has_an_empty_patch():
    snap = {"total": 3, "top_pages": [page("/a", 2), page("/b", 1)], "series": [1, 2, 3]}
    assert deltas.diff(snap, {**snap}) == {}


def test_numbers_that_moved_are_sent_and_nothing_else():
    old = {"total": 3, "devices": {"mobile": 1, "desktop": 2}, "site": "x"}
    new = {"total": 4, "devices": {"mobile": 2, "desktop": 2}, "site": "x"}
    assert round_trip(old, new) == {"total": 4, "devices": {"mobile": 2}}


def test_a_row_whose_count_alone_moved_is_its_index_and_the_difference():
    old = {"top_pages": [page("/a", 5), page("/b", 3)]}
    new = {"top_pages": [page("/a", 5), page("/b", 1)]}
    assert round_trip(old, new) == {"top_pages": {"u": [1, -2]}}


def test_other_changes_of_a_row_are_pairs_of_field_index_and_new_value():
    old = {"top_pages": [page("/a", 5, pageviews=9)]}
    new = {"top_pages": [page("/a", 6, pageviews=11, title="Breaking")]}
    # ROW_FIELDS["top_pages"]: url, host, title, og_image, realtime_users, pageviews_today, sources
    assert round_trip(old, new) == {"top_pages": {"u": [0, [2, "Breaking", 4, 6, 5, 11]]}}


def test_reordered_rows_are_sent_as_old_indexes_and_new_rows_in_full():
    old = {"top_pages": [page("/a", 5), page("/b", 3), page("/c", 1)]}
    new = {"top_pages": [page("/b", 6), page("/new", 2), page("/a", 5)]}
    assert round_trip(old, new) == {"top_pages": {"o": [1, page("/new", 2), 0], "u": [0, 3]}}


def test_runs_of_old_rows_in_their_old_order_are_sent_as_first_index_and_count():
    old = {"cities": [{"name": f"City {i}", "count": 100 - i} for i in range(10)]}
    new = {"cities": old["cities"][:4] + [old["cities"][5], old["cities"][4]] + old["cities"][6:9]}
    assert round_trip(old, new) == {"cities": {"o": [[0, 4], 5, 4, [6, 3]]}}


def test_a_list_that_empties_or_fills_is_patched_too():
    full, empty = {"cities": [{"name": "Bern", "count": 1}]}, {"cities": []}
    round_trip(full, empty)
    round_trip(empty, full)


def test_rows_with_the_same_key_pair_up_in_order():
    old = {"cities": [{"name": "Springfield", "count": 3}, {"name": "Springfield", "count": 1}]}
    new = {"cities": [{"name": "Paris", "count": 4}, {"name": "Springfield", "count": 3}, {"name": "Springfield", "count": 2}]}
    round_trip(old, new)


def test_shares_are_left_out_and_recomputed_from_the_pages_users():
    old = {"top_pages": [page("/a", 5, ("search", "Google", "google.com", 3), ("(none)", "(direct)", "", 2))]}
    new = {"top_pages": [page("/a", 6, ("search", "Google", "google.com", 3), ("(none)", "(direct)", "", 3))]}
    assert [s["percent"] for s in new["top_pages"][0]["sources"]] == [50, 50]  # from 40 and 60
    # (direct) moves up and gains one; Google's share changed, but only because the page's users did
    assert round_trip(old, new) == {"top_pages": {"u": [0, [4, 6, 6, {"o": [1, 0], "u": [0, 1]}]]}}


def test_a_source_with_children_sends_its_children_and_not_their_sum():
    old = {"sources_top5": sources(10, ("search", "Google", "google.com", 3), ("search", "Google", "google.ch", 1)),
           "total_realtime": 10}
    new = {"sources_top5": sources(10, ("search", "Google", "google.com", 5), ("search", "Google", "google.ch", 1)),
           "total_realtime": 10}
    # ROW_FIELDS["sources_top5"]: medium, source, count, percent, children; children: label, count
    assert round_trip(old, new) == {"sources_top5": {"u": [0, [4, {"u": [0, 2]}]]}}


def test_new_rows_come_without_what_the_client_derives():
    old = {"sources_top5": [], "total_realtime": 4}
    new = {"sources_top5": sources(4, ("social", "Reddit", "r/news", 3), ("(none)", "(direct)", "", 1)),
           "total_realtime": 4}
    patch = round_trip(old, new)
    assert patch == {"sources_top5": {"o": [
        {"medium": "social", "source": "Reddit", "children": [{"label": "r/news", "count": 3}]},
        {"medium": "(none)", "source": "(direct)", "count": 1, "children": []}]}}


def test_a_share_a_client_would_compute_otherwise_sends_the_whole_snapshot():
    old = {"sources_top5": sources(4, ("(none)", "(direct)", "", 1)), "total_realtime": 4}
    new = {"sources_top5": sources(4, ("(none)", "(direct)", "", 2)), "total_realtime": 4}
    new["sources_top5"][0]["percent"] = 49
    with pytest.raises(deltas.Inexpressible):
        deltas.diff(old, new)


def test_a_sum_a_client_would_compute_otherwise_sends_the_whole_snapshot():
    old = {"sources_top5": sources(4, ("search", "Google", "google.com", 2)), "total_realtime": 4}
    new = {"sources_top5": sources(4, ("search", "Google", "google.com", 3)), "total_realtime": 4}
    old["sources_top5"][0]["count"] = 3  # what the client has is not the sum of its children
    with pytest.raises(deltas.Inexpressible):
        deltas.diff(old, new)


def test_applying_leaves_the_old_snapshot_and_the_patch_as_they_were():
    old = {"top_pages": [page("/a", 5, ("search", "Google", "google.com", 5))], "devices": {"mobile": 1}}
    new = {"top_pages": [page("/b", 1, ("search", "Bing", "bing.com", 1)), page("/a", 6, ("search", "Google", "google.com", 6))],
           "devices": {"mobile": 2}}
    patch = json.loads(exactly(deltas.diff(old, new)))
    before, sent = exactly(old), exactly(patch)
    deltas.apply(old, patch)
    assert (exactly(old), exactly(patch)) == (before, sent)


def test_a_change_of_fields_cannot_be_patched():
    with pytest.raises(deltas.Inexpressible):
        deltas.diff({"a": 1}, {"b": 1})


def test_a_list_of_rows_without_a_declared_identity_cannot_be_patched():
    with pytest.raises(deltas.Inexpressible):
        deltas.diff({"things": [{"a": 1}]}, {"things": [{"a": 2}]})


def random_snapshots(seed: int, count: int) -> list[dict]:
    """Successive snapshots of the /v1/realtime shape under random traffic: visitors arrive on
    and leave pages from sources and places, so rows enter, leave, move and change, counts alone
    or with others, and shares shift."""
    rng = random.Random(seed)
    urls = [f"/story-{i}" for i in range(80)]
    members = [join_parts(*p) for p in (("search", "Google", "google.com"), ("search", "Google", "google.ch"),
                                        ("social", "Reddit", "r/news"), ("(none)", "(direct)", ""),
                                        ("referral", "t.co", ""), ("search", "Bing", ""))]
    visitors: list[tuple[str, str, str, str]] = []  # url, source member, country, city
    pageviews: dict[str, int] = {}

    def tally(pairs) -> list[tuple]:
        counts: dict = {}
        for key in pairs:
            counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def snapshot() -> dict:
        pages = []
        for url, users in tally(v[0] for v in visitors)[:50]:
            pages.append({"url": url, "host": "planet.example", "title": url, "og_image": "", "realtime_users": users,
                          "pageviews_today": pageviews[url],
                          "sources": source_rows(tally(v[1] for v in visitors if v[0] == url), users)})
        return {"site": "x", "total_realtime": len(visitors), "devices": {"mobile": len(visitors) // 3, "desktop": 1},
                "top_pages": pages,
                "countries": [{"code": c, "name": f"Country {c}", "count": n} for c, n in tally(v[2] for v in visitors)],
                "cities": [{"name": c, "count": n} for c, n in tally(v[3] for v in visitors)][:4],
                "sources_top5": source_rows(tally(v[1] for v in visitors), len(visitors))[:5]}

    out = []
    for _ in range(count):
        for _ in range(rng.choice((0, 1, 2, 5, 20))):
            url = rng.choice(urls[:rng.choice((5, 80))])
            pageviews[url] = pageviews.get(url, 0) + 1
            visitors.append((url, rng.choice(members), rng.choice("ABCDEFGH"), rng.choice("PQRS")))
        for _ in range(rng.choice((0, 1, 3, 15))):
            if visitors:
                visitors.pop(rng.randrange(len(visitors)))
        out.append(snapshot())
    return out


def test_random_successive_snapshots_round_trip_exactly():
    snaps = random_snapshots(16, 300)
    for old, new in zip(snaps, snaps[1:]):
        round_trip(old, new)
