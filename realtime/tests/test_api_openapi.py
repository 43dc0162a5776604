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
