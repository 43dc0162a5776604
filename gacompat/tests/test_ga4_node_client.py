"""runRealtimeReport through Google's official Node client (`@google-analytics/data`, pinned in
gacompat/tests/node/package-lock.json) in REST mode (`fallback: 'rest'`), which sends enums as
numbers with `$alt=json;enum-encoding=int` and parses answers with protobuf.js. The test installs
the client itself (`npm ci`) when its node_modules are missing or older than the lock file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

NODE_DIR = Path(__file__).with_name("node")


def _install() -> None:
    npm = shutil.which("npm")
    assert npm is not None, "npm is needed for the Node GA4 client test (Debian: apt-get install npm)"
    stamp = NODE_DIR / "node_modules" / ".package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= (NODE_DIR / "package-lock.json").stat().st_mtime:
        return
    # --ignore-scripts: nothing of the client needs an install script (protobufjs's only checks versions).
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=NODE_DIR, check=True,
                   capture_output=True, timeout=600)


@pytest.fixture(scope="session")
def node_client(ga_server, keys):
    _install()
    node = shutil.which("node")
    assert node is not None
    url = urlsplit(ga_server.url)

    def run(calls: list[dict], token: str | None = None) -> list[dict]:
        payload = {"host": url.hostname, "port": url.port, "token": token or keys["read"], "calls": calls}
        done = subprocess.run([node, "ga4_client.js"], cwd=NODE_DIR, input=json.dumps(payload), text=True,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def cells(rows):
    return [[v["value"] for v in r.get("dimensionValues", [])] + [v["value"] for v in r.get("metricValues", [])]
            for r in rows or []]


def string(field, value, match, case=False):
    return {"filter": {"fieldName": field, "stringFilter": {"matchType": match, "value": value, "caseSensitive": case}}}


def numeric(field, operation, value):
    return {"filter": {"fieldName": field, "numericFilter": {"operation": operation, "value": value}}}


# Enums given by name here: the client turns them into numbers on the wire.
EXPRESSIONS = [
    (string("country", "germany", "EXACT"), ["Germany"]),
    (string("country", "germany", "EXACT", case=True), []),
    (string("country", "United", "BEGINS_WITH"), ["United Kingdom", "United States"]),
    (string("country", "LAND", "ENDS_WITH"), ["Switzerland"]),
    (string("country", "ra", "CONTAINS"), ["Australia"]),
    (string("country", "united.*", "FULL_REGEXP"), ["United Kingdom", "United States"]),
    (string("country", "^Unit", "PARTIAL_REGEXP", case=True), ["United Kingdom", "United States"]),
    ({"filter": {"fieldName": "countryId", "inListFilter": {"values": ["de", "CH"]}}}, ["Germany", "Switzerland"]),
    (numeric("minutesAgo", "EQUAL", {"int64Value": 1}), ["Germany"]),
    (numeric("minutesAgo", "LESS_THAN", {"int64Value": 1}), ["Australia", "Switzerland"]),
    (numeric("minutesAgo", "GREATER_THAN_OR_EQUAL", {"doubleValue": 2}), ["United Kingdom", "United States"]),
    ({"filter": {"fieldName": "minutesAgo", "betweenFilter": {"fromValue": {"int64Value": 1},
                                                              "toValue": {"doubleValue": 2.5}}}},
     ["Germany", "United States"]),
    ({"andGroup": {"expressions": [string("deviceCategory", "desktop", "EXACT"),
                                   string("country", "United", "BEGINS_WITH")]}}, ["United Kingdom", "United States"]),
    ({"orGroup": {"expressions": [string("countryId", "AU", "EXACT"), numeric("minutesAgo", "EQUAL", {"int64Value": 1})]}},
     ["Australia", "Germany"]),
    ({"notExpression": string("deviceCategory", "desktop", "EXACT")}, ["Australia", "Switzerland"]),
]


def test_the_node_client_gets_the_rows_of_filters_of_every_kind(node_client, known):
    calls = [{"property": known.site.property, "request": {
        "dimensions": [{"name": "country"}], "metrics": [{"name": "screenPageViews"}], "dimensionFilter": expr,
        "orderBys": [{"dimension": {"dimensionName": "country"}}]}} for expr, _ in EXPRESSIONS]
    answers = node_client(calls)
    for (expr, expected), answer in zip(EXPRESSIONS, answers):
        assert "response" in answer, (expr, answer)
        assert [row[0] for row in cells(answer["response"].get("rows"))] == expected, expr


def test_the_node_client_reads_headers_orderings_aggregations_ranges_and_limits(node_client, known):
    prop = known.site.property
    by_country, minutes, aggregated, ranges, fixed = node_client([
        {"property": prop, "request": {"dimensions": [{"name": "country"}, {"name": "countryId"}],
                                       "metrics": [{"name": "activeUsers"}], "returnPropertyQuota": True}},
        {"property": prop, "request": {
            "dimensions": [{"name": "minutesAgo"}], "metrics": [{"name": "screenPageViews"}, {"name": "eventCount"}],
            "orderBys": [{"dimension": {"dimensionName": "minutesAgo", "orderType": "NUMERIC"}, "desc": True}]}},
        {"property": prop, "request": {
            "dimensions": [{"name": "unifiedScreenName"}], "metrics": [{"name": "activeUsers"},
                                                                       {"name": "screenPageViews"}],
            "metricAggregations": ["TOTAL", "MAXIMUM", "MINIMUM", "COUNT"], "limit": 1,
            "orderBys": [{"metric": {"metricName": "screenPageViews"}, "desc": True},
                         {"dimension": {"dimensionName": "unifiedScreenName",
                                        "orderType": "CASE_INSENSITIVE_ALPHANUMERIC"}, "desc": True}]}},
        {"property": prop, "request": {
            "dimensions": [{"name": "country"}], "metrics": [{"name": "screenPageViews"}],
            "minuteRanges": [{"name": "now", "startMinutesAgo": 1, "endMinutesAgo": 0},
                             {"name": "earlier", "startMinutesAgo": 29, "endMinutesAgo": 1}],
            "orderBys": [{"dimension": {"dimensionName": "country"}}]}},
        {"property": prop, "request": {"dimensions": [{"name": "platform"}, {"name": "streamName"}],
                                       "metrics": [{"name": "activeUsers"}]}},
    ])
    body = by_country["response"]
    assert body["metricHeaders"] == [{"name": "activeUsers", "type": "TYPE_INTEGER"}]
    assert cells(body["rows"]) == [["Australia", "AU", "1"], ["Germany", "DE", "1"], ["Switzerland", "CH", "1"],
                                   ["United Kingdom", "GB", "1"], ["United States", "US", "1"]]
    assert body["rowCount"] == 5 and body["kind"] == "analyticsData#runRealtimeReport"
    concurrent = body["propertyQuota"]["concurrentRequests"]  # (protobuf.js adds `_consumed`: proto3 optional)
    assert (concurrent["consumed"], concurrent["remaining"]) == (1, 9)
    assert cells(minutes["response"]["rows"]) == [["07", "1", "1"], ["02", "1", "1"], ["01", "1", "1"],
                                                  ["00", "2", "4"]]
    body = aggregated["response"]
    assert cells(body["rows"]) == [["Beta", "2", "2"]] and body["rowCount"] == 3
    assert cells(body["totals"]) == [["RESERVED_TOTAL", "5", "5"], ["RESERVED_COUNT", "3", "3"]]
    assert cells(body["maximums"]) == [["RESERVED_MAX", "2", "2"]]
    assert cells(body["minimums"]) == [["RESERVED_MIN", "1", "1"]]
    assert cells(ranges["response"]["rows"]) == [
        ["Australia", "now", "1"], ["Germany", "now", "1"], ["Germany", "earlier", "1"], ["Switzerland", "now", "1"],
        ["United Kingdom", "earlier", "1"], ["United States", "earlier", "1"]]
    assert cells(fixed["response"]["rows"]) == [["web", known.site.name, "5"]]


def test_errors_carry_googles_codes(node_client, known, keys):
    invalid, regex = node_client([
        {"property": known.site.property, "request": {"dimensions": [{"name": "browser"}],
                                                      "metrics": [{"name": "activeUsers"}]}},
        {"property": known.site.property, "request": {"metrics": [{"name": "activeUsers"}],
                                                      "dimensionFilter": string("country", "(a)\\1", "FULL_REGEXP")}},
    ])
    assert invalid["error"]["code"] == 3 and "browser is not a valid dimension" in invalid["error"]["message"]
    assert regex["error"]["code"] == 3 and "Invalid regular expression" in regex["error"]["message"]
    (denied,) = node_client([{"property": known.site.property, "request": {"metrics": [{"name": "activeUsers"}]}}],
                            token=keys["outsider"])
    assert denied["error"]["code"] == 7 and "sufficient permissions" in denied["error"]["message"]
    (unauthenticated,) = node_client([{"property": known.site.property,
                                       "request": {"metrics": [{"name": "activeUsers"}]}}], token="nm_not-a-real-key")
    assert unauthenticated["error"]["code"] == 16
