"""Regex filters run on RE2, in time linear in the value: the patterns that take a backtracking
engine exponential time (`^/(a|a)+$`, `^/((a)+)+$` against a long run of `a`s that then fails)
answer correctly, and another tenant's `/v1/realtime` answers while they run. (No timings: a
stalled server would fail these by the suite's timeout.)"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from gacompat.tests import clients
from gacompat.tests.conftest import HOST, steady_now, take_site

PATHOLOGICAL = [r"^/(a|a)+$", r"^/((a)+)+$"]
RUN = "a" * 150  # paths are capped at 200 characters by ingest


@pytest.fixture(scope="module")
def long_paths(ga_world):
    from realtime.tests.traffic import IPHONE, Traffic

    site = take_site(ga_world)
    t = Traffic(site.public_id, HOST, steady_now())
    # Titles like the paths, for GA4 (its unifiedScreenName is the page title).
    t.hit("pv", "/" + RUN, ip=clients_ip(1), t=RUN)  # matches: only `a`s
    t.hit("pv", "/" + RUN + "b", ip=clients_ip(2), ua=IPHONE, t=RUN + "b")  # fails at the very end: the slow case
    return site


def clients_ip(n: int) -> str:
    return f"8.8.4.{n}"


@pytest.fixture(scope="module")
def bugle_live(ga_world):
    """Another tenant with one active visitor in its live snapshot."""
    from realtime.tests.traffic import Traffic

    t = Traffic(ga_world["bugle_public_id"], "bugle.example", steady_now())
    t.hit("pv", "/front-page")
    t.snapshot()
    return ga_world["bugle_public_id"]


def v3_filter(ga_server, keys, site, pattern):
    status, _, body = clients.raw(ga_server, "/analytics/v3/data/realtime", {
        "ids": site.ids, "metrics": "rt:activeUsers", "dimensions": "rt:pagePath", "filters": f"rt:pagePath=~{pattern}"},
        token=keys["read"])
    return status, json.loads(body)


def ga4_filter(ga_server, keys, site, pattern):
    body = {"dimensions": [{"name": "unifiedScreenName"}], "metrics": [{"name": "activeUsers"}],
            "dimensionFilter": {"filter": {"fieldName": "unifiedScreenName", "stringFilter": {
                "matchType": "FULL_REGEXP", "value": pattern}}}}
    status, _, answer = clients.raw(ga_server, f"/v1beta/{site.property}:runRealtimeReport", token=keys["read"],
                                    method="POST", body=json.dumps(body).encode())
    return status, json.loads(answer)


@pytest.mark.parametrize("pattern", PATHOLOGICAL)
def test_pathological_patterns_answer_correctly(ga_server, keys, long_paths, pattern):
    status, body = v3_filter(ga_server, keys, long_paths, pattern)
    assert status == 200, body
    assert body["rows"] == [["/" + RUN, "1"]]


def test_another_tenants_realtime_answers_while_pathological_filters_run(ga_server, keys, long_paths, bugle_live):
    with ThreadPoolExecutor(max_workers=5) as pool:
        slow = [pool.submit(v3_filter, ga_server, keys, long_paths, p) for p in PATHOLOGICAL * 2]
        other = pool.submit(clients.raw, ga_server, "/v1/realtime", {"site": bugle_live}, token=keys["outsider"])
        status, _, body = other.result()
        answers = [f.result() for f in slow]
    assert status == 200, body
    assert json.loads(body)["total_realtime"] == 1
    assert all(s == 200 and b["rows"] == [["/" + RUN, "1"]] for s, b in answers)


@pytest.mark.parametrize("pattern", [r"(a|a)+", r"((a)+)+"])
def test_the_ga4_regex_filters_run_on_re2_too(ga_server, keys, long_paths, pattern):
    status, body = ga4_filter(ga_server, keys, long_paths, pattern)  # FULL_REGEXP: the whole title
    assert status == 200, body
    assert [[r["dimensionValues"][0]["value"], r["metricValues"][0]["value"]] for r in body["rows"]] == [[RUN, "1"]]


@pytest.mark.parametrize("pattern", [r"^/(a)\1$", r"^/(?=a)", r"(?<!b)a"])
def test_patterns_re2_rejects_are_invalid_filters(ga_server, keys, long_paths, pattern):
    status, body = v3_filter(ga_server, keys, long_paths, pattern)
    assert status == 400
    assert body["error"]["errors"][0]["reason"] == "badRequest"
    assert body["error"]["message"].startswith(f"Invalid regular expression '{pattern}' in filter rt:pagePath")
    status, body = ga4_filter(ga_server, keys, long_paths, pattern)
    assert status == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
    assert body["error"]["message"].startswith("Invalid regular expression in dimensionFilter.filter")
