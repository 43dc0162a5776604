"""The GA endpoints' OpenAPI schema (`/ga/openapi.json`, Swagger page `/docs/ga`, linked from
`/docs/api`): a valid OpenAPI 3.0 document, public whatever Authorization header comes with the
request, and real answers of both APIs (rows, aggregations, quotas, errors) match it."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema
from jsonschema import Draft7Validator

from gacompat.tests import clients

pytestmark = pytest.mark.usefixtures("own_redis_prefix")

AUTHORIZATIONS = [None, "Bearer nm_not-a-real-key", "Basic dXNlcjpwdw==", "Bearer"]


def fetch(client, path, authorization):
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    return client.get(path, **extra)


@pytest.mark.parametrize("authorization", AUTHORIZATIONS)
def test_the_schema_is_public_and_valid_openapi(client, db, authorization):
    response = fetch(client, "/ga/openapi.json", authorization)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    schema = json.loads(response.content)
    validate_schema(schema)
    assert set(schema["paths"]) == {"/analytics/v3/data/realtime", "/v1beta/properties/{propertyId}:runRealtimeReport",
                                    "/v1alpha/properties/{propertyId}:runRealtimeReport"}


@pytest.mark.parametrize("authorization", AUTHORIZATIONS)
def test_the_swagger_page_is_public_and_linked_from_the_api_docs(client, db, authorization):
    page = fetch(client, "/docs/ga", authorization)
    # The split Swagger page: its script, a file of its own under the CSP, names the schema.
    script = fetch(client, "/docs/ga?script", authorization)
    assert page.status_code == 200 and script.status_code == 200 and b"/ga/openapi.json" in script.content
    v1 = json.loads(client.get("/v1/openapi.json").content)
    assert v1["externalDocs"]["url"] == "/docs/ga"


def validator(schema: dict, name: str) -> Draft7Validator:
    return Draft7Validator({"$ref": f"#/components/schemas/{name}", "components": schema["components"]})


@pytest.fixture(scope="module")
def schema(ga_server):
    status, _, body = clients.raw(ga_server, "/ga/openapi.json")
    assert status == 200
    return json.loads(body)


def test_v3_answers_match_the_schema(ga_server, keys, known, schema):
    ok = validator(schema, "RealtimeData")
    for params in [{"metrics": "rt:activeUsers,rt:pageviews", "dimensions": "rt:pagePath,rt:country",
                    "sort": "-rt:activeUsers", "filters": "rt:pagePath=~^/[ab]", "max-results": "2",
                    "start-index": "2"},
                   {"metrics": "rt:activeUsers", "filters": "rt:country==Atlantis"}]:
        status, _, body = clients.raw(ga_server, "/analytics/v3/data/realtime", {"ids": known.site.ids, **params},
                                      token=keys["read"])
        assert status == 200
        ok.validate(json.loads(body))
    error = validator(schema, "V3Error")
    for params, token in [({"metrics": "rt:nope"}, keys["read"]), ({"metrics": "rt:activeUsers"}, "nm_bad"),
                          ({"metrics": "rt:activeUsers", "start-index": "0"}, keys["read"])]:
        status, _, body = clients.raw(ga_server, "/analytics/v3/data/realtime", {"ids": known.site.ids, **params},
                                      token=token)
        assert str(status) in schema["paths"]["/analytics/v3/data/realtime"]["get"]["responses"]
        error.validate(json.loads(body))


def test_ga4_answers_match_the_schema(ga_server, keys, known, schema):
    request = validator(schema, "RunRealtimeReportRequest")
    ok = validator(schema, "RunRealtimeReportResponse")
    error = validator(schema, "Ga4Error")
    path = f"/v1beta/{known.site.property}:runRealtimeReport"
    bodies = [
        {"dimensions": [{"name": "country"}, {"name": "platform"}], "metrics": [{"name": "activeUsers"}],
         "metricAggregations": ["TOTAL", 5, "6"], "returnPropertyQuota": True, "limit": "2",
         "minuteRanges": [{"name": "now", "startMinutesAgo": 4}, {"name": "before", "startMinutesAgo": 29}],
         "dimensionFilter": {"orGroup": {"expressions": [
             {"filter": {"fieldName": "country", "stringFilter": {"matchType": 5, "value": "(?i)united.*"}}},
             {"notExpression": {"filter": {"fieldName": "minutesAgo", "numericFilter": {
                 "operation": "LESS_THAN", "value": {"int64Value": "3"}}}}}]}},
         "orderBys": [{"dimension": {"dimensionName": "country", "orderType": 2}, "desc": True}]},
        {"metrics": [{"name": "screenPageViews"}], "metricFilter": {"filter": {
            "fieldName": "screenPageViews", "betweenFilter": {"fromValue": {"int64Value": 100},
                                                              "toValue": {"doubleValue": 1e9}}}}},
    ]
    for body in bodies:
        request.validate(body)
        status, _, answer = clients.raw(ga_server, path, token=keys["read"], method="POST",
                                        body=json.dumps(body).encode())
        assert status == 200, answer
        ok.validate(json.loads(answer))
    for body, token in [({"metrics": [{"name": "nope"}]}, keys["read"]), ({}, "nm_bad")]:
        status, _, answer = clients.raw(ga_server, path, token=token, method="POST", body=json.dumps(body).encode())
        assert status in (400, 401)
        error.validate(json.loads(answer))
