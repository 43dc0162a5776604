"""runRealtimeReport's `limit`, as Google documents it: a positive int64 (a JSON number or a
decimal string), 10,000 rows when unset, clamped to 250,000; anything else is a 400
`INVALID_ARGUMENT` in Google's envelope, never a 5xx and never accepted."""

from __future__ import annotations

import json

import pytest

from gacompat import ga4_query

pytestmark = pytest.mark.usefixtures("own_redis_prefix")

METRICS = '[{"name": "activeUsers"}]'


def report(client, tenant, limit: str):
    raw = '{"metrics": %s, "limit": %s}' % (METRICS, limit)
    response = client.post(f"/v1beta/properties/{tenant.tracker.pk}:runRealtimeReport", data=raw,
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {tenant.secret}")
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize("limit", ["-1", '"-5"', "0", '"0"', "1.5", '"abc"', "true", "[]", "{}", '"1e3"',
                                   '"\\u0665"', '"1_000"', '" 7 "', '"+3"', '"0x10"', "Infinity", "-Infinity",
                                   "NaN", "1e400", '"9223372036854775808"', "9223372036854775808",
                                   '"' + "9" * 5000 + '"'])
def test_an_absurd_limit_is_invalid_argument(client, tenant, limit):
    status, body = report(client, tenant, limit)
    assert status == 400
    assert set(body) == {"error"} and body["error"]["code"] == 400
    assert body["error"]["status"] == "INVALID_ARGUMENT"
    assert len(body["error"]["message"]) < 200  # a huge value is not echoed back whole


@pytest.mark.parametrize("limit", ["1", '"5"', "1.0", "1e3", "250001", "9223372036854775807", "null"])
def test_a_positive_int64_limit_is_answered(client, tenant, limit):
    status, body = report(client, tenant, limit)
    assert status == 200 and body["kind"] == "analyticsData#runRealtimeReport"


@pytest.mark.parametrize("limit, rows", [(None, 10_000), (7, 7), ("250000", 250_000), (250_001, 250_000),
                                         (9223372036854775807, 250_000)])
def test_the_limit_defaults_to_ten_thousand_and_is_clamped_to_google_s_maximum(limit, rows):
    body = {"metrics": [{"name": "activeUsers"}], "limit": limit}
    assert ga4_query.parse(body, stream_id="1", stream_name="s").limit == rows
