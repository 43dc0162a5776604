"""A query parameter given twice on `/v1` is a 400 `invalid_parameter`, on every path and
whatever answers (Django or the ASGI fast path), instead of a first-or-last guess."""

import time

import pytest

from realtime.api import keycache, microcache
from realtime.api.fastpath import ApiFastPath
from realtime.tests.asgi import call
from realtime.tests.test_api_fastpath import Fallback
from realtime.tests.traffic import Traffic


@pytest.mark.parametrize("path", ["/v1/realtime", "/v1/sources", "/v1/realtime/stream", "/v1/public/active",
                                  "/v1/openapi.json", "/v1/nowhere"])
def test_a_repeated_site_is_a_400_on_every_path(client, tenant, outsider, bearer, path):
    query = f"site={tenant.tracker.public_id}&site={outsider.tracker.public_id}&url=/a"
    response = client.get(f"{path}?{query}", **bearer)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter"
    assert "site" in response.json()["error"]["message"]


def test_the_same_value_twice_or_an_empty_first_value_is_refused_too(client, tenant, bearer):
    site = tenant.tracker.public_id
    for query in (f"site={site}&site={site}", f"site=&site={site}", f"site={site}&x=1&x=2"):
        assert client.get(f"/v1/realtime?{query}", **bearer).status_code == 400, query


def test_the_fast_path_leaves_a_repeated_parameter_to_django(client, tenant, outsider, bearer):
    microcache.clear()
    keycache.clear()
    site = tenant.tracker.public_id
    Traffic(site, "planet.example", time.time()).snapshot()
    assert client.get(f"/v1/realtime?site={site}", **bearer).status_code == 200  # warms both caches
    fallback = Fallback()
    app = ApiFastPath(fallback)
    auth = [(b"authorization", f"Bearer {tenant.secret}".encode())]
    assert call(app, "GET", "/v1/realtime", query=f"site={site}".encode(), headers=auth)[0] == 200
    for query in (f"site={site}&site={outsider.tracker.public_id}", f"site=&site={site}", f"site={site}&site={site}"):
        assert call(app, "GET", "/v1/realtime", query=query.encode(), headers=auth)[0] == 599, query
    assert fallback.calls == 3
    microcache.clear()
    keycache.clear()


def test_other_paths_may_repeat_parameters(client, tenant):
    assert client.get("/login?next=/a&next=/b").status_code == 200
