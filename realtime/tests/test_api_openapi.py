"""The OpenAPI schema is generated from the code and matches what the API answers."""

import time

from realtime.api import microcache
from realtime.tests.traffic import Traffic


def _schema(client):
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _properties(schema, name):
    return list(schema["components"]["schemas"][name]["properties"])


def test_the_schema_describes_every_endpoint_and_error(client, db):
    schema = _schema(client)
    assert schema["openapi"].startswith("3.")
    for path in ("/v1/realtime", "/v1/sources", "/v1/realtime/stream", "/v1/public/active", "/api/me"):
        assert "get" in schema["paths"][path], path
    responses = schema["paths"]["/v1/realtime"]["get"]["responses"]
    assert {"200", "304", "400", "401", "403", "429", "503"} <= set(responses)
    params = {p["name"]: p for p in schema["paths"]["/v1/realtime"]["get"]["parameters"]}
    assert params["site"]["required"] is True


def test_the_schema_fields_match_the_responses(client, tenant, bearer):
    microcache.clear()
    t = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    t.hit(path="/a", r="https://www.google.com/")
    t.snapshot()
    schema = _schema(client)
    body = client.get(f"/v1/realtime?site={tenant.tracker.public_id}", **bearer).json()
    assert _properties(schema, "Realtime") == list(body)
    assert _properties(schema, "TopPage") == list(body["top_pages"][0])
    assert _properties(schema, "SourceRow") == list(body["sources_top5"][0])
    sources = client.get(f"/v1/sources?site={tenant.tracker.public_id}", **bearer).json()
    assert _properties(schema, "Sources") == list(sources)


def test_the_docs_page_is_served_without_a_cdn(client, db):
    response = client.get("/docs/api")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content
    assert b"cdn." not in response.content


def test_the_schema_and_docs_are_public_whatever_authorization_comes(client, db):
    for header in ("Bearer nm_bad", "Bearer " + "x" * 200, "Basic Zm9vOmJhcg==", "garbage"):
        for path in ("/v1/openapi.json", "/docs/api"):
            assert client.get(path, HTTP_AUTHORIZATION=header).status_code == 200, (path, header)


def test_every_operation_documents_every_status_it_answers(client, db):
    paths = _schema(client)["paths"]
    keyed = {"/v1/realtime": {"200", "304", "400", "401", "403", "429", "503"},
             "/v1/sources": {"200", "304", "400", "401", "403", "429", "503"},
             "/v1/realtime/stream": {"200", "400", "401", "403", "429", "503"},
             "/v1/public/active": {"200", "400", "403", "429", "503"},
             "/api/me": {"200", "401", "503"}}
    for path, statuses in keyed.items():
        assert set(paths[path]["get"]["responses"]) == statuses, path


def test_the_parameters_carry_their_limits(client, db):
    paths = _schema(client)["paths"]
    for path in ("/v1/realtime", "/v1/sources", "/v1/realtime/stream", "/v1/public/active"):
        site = {p["name"]: p for p in paths[path]["get"]["parameters"]}["site"]["schema"]
        assert site["minLength"] == 1 and site["pattern"], path
    url = {p["name"]: p for p in paths["/v1/public/active"]["get"]["parameters"]}["url"]["schema"]
    assert (url["pattern"], url["maxLength"]) == ("^/", 2048)


def test_the_site_pattern_accepts_exactly_what_the_api_does_not_call_empty(client, tenant, bearer):
    import re

    pattern = re.compile(_schema(client)["paths"]["/v1/realtime"]["get"]["parameters"][0]["schema"]["pattern"])
    for value in (" ", "\t", "\x1c", "\u3000 ", "x", " x ", "\ufeff"):
        answer = client.get("/v1/realtime", {"site": value}, **bearer)
        documented_valid = pattern.search(value) is not None
        assert (answer.status_code != 400) == documented_valid, repr(value)


def test_the_error_codes_are_listed_in_the_schema(client, db):
    schemas = _schema(client)["components"]["schemas"]
    assert schemas["ErrorDetail"]["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode"}
    codes = schemas["ErrorCode"]["enum"]
    assert {"site_required", "invalid_parameter", "missing_token", "invalid_token", "site_not_authorized", "not_found",
            "rate_limit_exceeded", "redis_unavailable", "service_unavailable"} <= set(codes)
