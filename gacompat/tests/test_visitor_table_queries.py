"""The benchmark's queries (bench/bench_ga.py: their timings are measured there, by `make bench`)
answer what the visitors are: a filtered two-dimension query, the live-counter shortcut, the
pathological regex filters on RE2, and the per-process table cache, over bench_ga's synthetic
visitors loaded through the real ingest Lua."""

from __future__ import annotations

import time
import uuid

import pytest

from bench import bench_ga
from gacompat import livedata, v3_query

VISITORS = 2_000


@pytest.fixture
def loaded(settings):
    settings.NOWMETRIX_GA_TABLE_CACHE_SECS = 0
    site = "gaq" + uuid.uuid4().hex[:20]
    bench_ga.load(site, VISITORS, time.time())
    yield site
    livedata.clear_cache()


def query(site: str, **params) -> dict:
    parsed = v3_query.parse(params, "ga:1")
    result = v3_query.run(parsed, v3_query.Context(site, time.time(), 300))
    return v3_query.response_body(parsed, result, link="", profile={})


def rows(body: dict) -> dict[tuple, int]:
    return {tuple(row[:-1]): int(row[-1]) for row in body.get("rows", [])}


def test_the_filtered_two_dimension_query_counts_the_matching_visitors(loaded):
    body = query(loaded, **bench_ga.QUERY)
    by_browser = rows(query(loaded, metrics="rt:activeUsers", dimensions="rt:browser"))
    matching = by_browser[("Chrome",)] + by_browser[("Firefox",)]
    assert sum(by_browser.values()) == VISITORS
    assert int(body["totalsForAllResults"]["rt:activeUsers"]) == sum(rows(body).values()) == matching


def test_the_live_counters_answer_as_the_visitor_table_does(loaded):
    from_counters = rows(query(loaded, **bench_ga.SINGLE))
    # A filter that keeps everyone sends the same question through the visitor table.
    from_table = rows(query(loaded, **bench_ga.SINGLE, filters="rt:browser=~."))
    assert from_counters == from_table and sum(from_counters.values()) == VISITORS


def test_the_pathological_regex_cases_keep_exactly_the_runs_of_a(loaded):
    pages = rows(query(loaded, metrics="rt:activeUsers", dimensions="rt:pagePath"))
    runs = {path: n for path, n in pages.items() if set(path[0][1:]) == {"a"}}
    assert len(runs) == bench_ga.A_RUN_PAGES // 2
    for name in ("a_or_a", "nested_plus"):
        assert rows(query(loaded, **bench_ga.REGEX_CASES[name])) == runs
    negated = query(loaded, **bench_ga.REGEX_CASES["negated_a_or_a"])
    assert int(negated["totalsForAllResults"]["rt:activeUsers"]) == VISITORS - sum(runs.values())
    ordinary = rows(query(loaded, **bench_ga.REGEX_CASES["ordinary"]))
    assert ordinary == {path: n for path, n in pages.items() if path[0].startswith("/article/")}


def test_the_table_cache_answers_as_a_cold_read(loaded, settings):
    cold = query(loaded, **bench_ga.QUERY)
    settings.NOWMETRIX_GA_TABLE_CACHE_SECS = 60
    assert query(loaded, **bench_ga.QUERY) == cold
    assert query(loaded, **bench_ga.QUERY) == cold  # served from the cache
