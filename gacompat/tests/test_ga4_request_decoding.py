"""The GA4 body read as protobuf's JSON mapping reads it: every enum by name, by number or by
number in a string, whatever `$alt` asks for; unknown values and nesting deeper than protobuf
allows are INVALID_ARGUMENT, never a 500."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.usefixtures("own_redis_prefix")

URL = "/v1beta/properties/{}:runRealtimeReport"


def post(client, tenant, body, query: str = ""):
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    response = client.post(URL.format(tenant.tracker.pk) + query, data=raw, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {tenant.secret}")
    return response.status_code, json.loads(response.content)


def country_filter(match_type, value="^Switz"):
    return {"dimensions": [{"name": "country"}], "metrics": [{"name": "activeUsers"}],
            "dimensionFilter": {"filter": {"fieldName": "country",
                                           "stringFilter": {"matchType": match_type, "value": value}}}}


@pytest.mark.parametrize("query", ["", "?$alt=json;enum-encoding=int", "?$alt=json"])
@pytest.mark.parametrize("match_type", ["PARTIAL_REGEXP", 6, "6", 6.0])
def test_enums_are_accepted_by_name_and_by_number(client, tenant, query, match_type):
    status, body = post(client, tenant, country_filter(match_type), query)
    assert status == 200, body
    assert body["metricHeaders"] == [{"name": "activeUsers", "type": "TYPE_INTEGER"}]


@pytest.mark.parametrize("field, spec", [
    ("orderType", {"orderBys": [{"dimension": {"dimensionName": "country", "orderType": 3}, "desc": True}]}),
    ("metricAggregations", {"metricAggregations": [1, "4", "MAXIMUM", 5]}),
    ("operation", {"metricFilter": {"filter": {"fieldName": "activeUsers", "numericFilter": {
        "operation": 4, "value": {"int64Value": "0"}}}}}),
])
def test_every_enum_of_the_request_takes_numbers(client, tenant, field, spec):
    status, body = post(client, tenant, {"dimensions": [{"name": "country"}], "metrics": [{"name": "activeUsers"}],
                                         **spec})
    assert status == 200, (field, body)


def test_aggregations_by_number_answer_as_by_name(client, tenant):
    base = {"metrics": [{"name": "activeUsers"}]}
    by_number = post(client, tenant, {**base, "metricAggregations": [1, 6, 5, 4]})[1]
    by_name = post(client, tenant, {**base, "metricAggregations": ["TOTAL", "MAXIMUM", "MINIMUM", "COUNT"]})[1]
    assert by_number == by_name and set(by_number) >= {"totals", "maximums", "minimums"}


@pytest.mark.parametrize("match_type, shown", [(99, "99"), ("FUZZY", '"FUZZY"'), (True, "true"), (1.5, "1.5"),
                                               ({"a": 1}, "{'a': 1}")])
def test_an_unknown_enum_value_is_invalid_argument(client, tenant, match_type, shown):
    status, body = post(client, tenant, country_filter(match_type))
    assert status == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
    assert body["error"]["message"] == (
        "Invalid value at 'dimension_filter.filter.string_filter.match_type' "
        f"(type.googleapis.com/google.analytics.data.v1beta.Filter.StringFilter.MatchType), {shown}")


def nested_filter(depth: int) -> dict:
    expr: dict = {"filter": {"fieldName": "country", "emptyFilter": {}}}
    for _ in range(depth):
        expr = {"notExpression": expr}
    return {"metrics": [{"name": "activeUsers"}], "dimensionFilter": expr}


DEEP_BODIES = {
    "arrays beyond the JSON parser's recursion": b"[" * 100_000,
    "objects beyond the JSON parser's recursion": b'{"a":' * 20_000 + b"{}" + b"}" * 20_000,
    "a filter nested deeper than protobuf allows": json.dumps(nested_filter(150)).encode(),
}


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_deeply_nested_body_is_invalid_argument(client, tenant, body):
    status, answer = post(client, tenant, body)
    assert status == 400, answer
    assert answer["error"]["status"] == "INVALID_ARGUMENT"
    assert answer["error"]["message"].startswith("Invalid JSON payload received.")


def test_a_filter_nested_within_the_limit_is_answered(client, tenant):
    status, body = post(client, tenant, nested_filter(40))
    assert status == 200, body


@pytest.mark.parametrize("member, value", [
    ("metrics", [{"name": ["activeUsers"]}]),
    ("dimensionFilter", {"filter": {"fieldName": {"x": 1}, "emptyFilter": {}}}),
    ("dimensionFilter", {"filter": {"fieldName": "country", "stringFilter": {"value": 5}}}),
    ("dimensionFilter", {"filter": {"fieldName": "country", "inListFilter": {"values": [None, 3]}}}),
    ("minuteRanges", [{"name": 7}]),
    ("returnPropertyQuota", "yes"),
])
def test_wrongly_typed_members_are_invalid_argument(client, tenant, member, value):
    body = {"metrics": [{"name": "activeUsers"}], member: value}
    status, answer = post(client, tenant, body)
    assert status == 400 and answer["error"]["status"] == "INVALID_ARGUMENT", answer


@pytest.mark.parametrize("size", [300 * 1024, 3 * 1024 * 1024])  # ours, then above Django's own limit
def test_an_oversized_body_is_invalid_argument(client, tenant, size):
    status, answer = post(client, tenant, b'{"metrics": [{"name": "activeUsers"}], "x": "' + b"a" * size + b'"}')
    assert status == 400 and answer["error"]["message"] == "Request payload is too large."


@pytest.mark.parametrize("body", [
    b'{"metrics": [{"name": "activeUsers"}], "dimensions": [{"name": "\\ud800"}]}',
    b'{"metrics": [{"name": "activeUsers"}], "dimensionFilter": {"filter": {"fieldName": "country", '
    b'"stringFilter": {"matchType": "PARTIAL_REGEXP", "value": "\\udc80"}}}}',
])
def test_lone_surrogates_are_invalid_argument(client, tenant, body):
    status, answer = post(client, tenant, body)
    assert status == 400 and answer["error"]["status"] == "INVALID_ARGUMENT", answer
