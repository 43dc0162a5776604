"""With the database stopped, nothing answers HTML 500s: keys this process verified recently keep
reading from their remembered grant (a revoked one stays refused), anything else that needs the
database answers 503 in its audience's format, and ingest goes on. A private PostgreSQL cluster
is stopped, never the machine's shared one."""

from __future__ import annotations

import http.client
import json
import re

import pytest

from realtime.tests.postgres import start_private_postgres
from realtime.tests.servers import manage, start_uvicorn

pytestmark = pytest.mark.slow

SETUP = """
import json
from django.test import Client
from trackers import services
from trackers.models import Scope
admin, _ = services.user_get_or_create(email="lois@planet.example", password="correct horse battery staple")
account = services.account_create(name="Daily Planet", owner=admin, timezone_name="Europe/Zurich")
tracker = services.tracker_create(account=account, name="Planet", hosts=["planet.example"])
limited = services.tracker_create(account=account, name="Sport", hosts=["sport.planet.example"])
keys = {name: services.api_key_issue(account=account, name=name, scope=Scope.READ_ONLY,
                                     trackers=[tracker] if name == "limited" else None)[1]
        for name in ("verified", "limited", "unused", "revoked")}
browser = Client()
browser.force_login(admin)
print("SETUP=" + json.dumps({"site": tracker.public_id, "other": limited.public_id, "keys": keys,
                             "view_id": tracker.view_id, "session": browser.cookies["sessionid"].value}))
"""
REVOKE = """
from trackers import services
from trackers.models import ApiKey
services.api_key_revoke(api_key=ApiKey.objects.get(name="revoked"))
"""


def _request(server, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def stack():
    cluster = start_private_postgres()
    try:
        env = {"DATABASE_URL": cluster.url}
        manage(env, "migrate", "--noinput")
        setup = json.loads(re.search(r"^SETUP=(.*)$", manage(env, "shell", "-c", SETUP), re.MULTILINE).group(1))
        with start_uvicorn(env) as server:
            yield server, cluster, env, setup
    finally:
        cluster.remove()


def test_the_api_and_the_pages_answer_503_without_the_database_and_recover(stack):
    server, cluster, env, setup = stack
    site, keys = setup["site"], setup["keys"]
    bearer = {name: {"Authorization": f"Bearer {secret}", "Cache-Control": "no-cache"} for name, secret in keys.items()}
    session = {"Cookie": f"sessionid={setup['session']}"}
    get = lambda path, headers=None: _request(server, "GET", path, headers)  # noqa: E731

    # Verified while the database is up (this server remembers their grants).
    for name in ("verified", "limited", "revoked"):
        assert get(f"/v1/realtime?site={site}", bearer[name])[0] == 200, name
    assert get("/api/me", session)[0] == 200 and get("/trackers/", session)[0] == 200
    manage(env, "shell", "-c", REVOKE)  # in another process: this server still remembers the key

    cluster.stop()

    # A verified key keeps reading, from the DRF path (no-cache) and the fast path, within its grant.
    for path in (f"/v1/realtime?site={site}", f"/v1/sources?site={site}"):
        status, headers, body = get(path, bearer["verified"])
        assert status == 200 and json.loads(body)["site"] == site, (path, body)
    assert get(f"/v1/realtime?site={site}", {"Authorization": bearer["verified"]["Authorization"]})[0] == 200
    assert get(f"/v1/realtime?site={site}", bearer["limited"])[0] == 200
    status, _, body = get(f"/v1/realtime?site={setup['other']}", bearer["limited"])
    assert status == 403 and json.loads(body)["error"]["code"] == "site_not_authorized"

    # Revocation stays immediate; malformed keys need no database to be refused.
    status, _, body = get(f"/v1/realtime?site={site}", bearer["revoked"])
    assert status == 401 and json.loads(body)["error"]["code"] == "invalid_token"
    status, _, body = get(f"/v1/realtime?site={site}", {"Authorization": "Bearer nm_short"})
    assert status == 401 and json.loads(body)["error"]["code"] == "invalid_token"

    # A key never seen, and /api/me whoever asks: 503 in the API's envelope.
    unknown = {"Authorization": "Bearer nm_" + "A" * 43}
    for path, headers in ((f"/v1/realtime?site={site}", bearer["unused"]), (f"/v1/sources?site={site}", unknown),
                          (f"/v1/realtime/stream?site={site}", bearer["unused"]), ("/api/me", bearer["verified"]),
                          ("/api/me", session)):
        status, response_headers, body = get(path, headers)
        assert status == 503, (path, body[:200])
        assert response_headers["content-type"].startswith("application/json"), path
        assert json.loads(body)["error"]["code"] == "service_unavailable"
        assert int(response_headers["retry-after"]) > 0

    # Signed-in pages: a plain 503 page. Google's envelope on the GA paths.
    status, headers, body = get("/trackers/", session)
    assert status == 503 and headers["content-type"].startswith("text/html")
    assert b"Temporarily unavailable" in body and "content-security-policy" in headers
    status, headers, body = get(f"/analytics/v3/data/realtime?ids=ga:{setup['view_id']}&metrics=rt:activeUsers",
                                bearer["unused"])
    assert status == 503 and json.loads(body)["error"]["code"] == 503
    status, headers, body = _request(server, "POST", f"/v1beta/properties/{setup['view_id']}:runRealtimeReport",
                                     {**bearer["unused"], "Content-Type": "application/json"},
                                     json.dumps({"metrics": [{"name": "activeUsers"}]}))
    assert status == 503 and json.loads(body)["error"]["status"] == "UNAVAILABLE"

    # Ingest never needed the database.
    hit = json.dumps({"s": site, "e": "pv", "u": "https://planet.example/"})
    assert _request(server, "POST", "/collect", {"Content-Type": "text/plain"}, hit)[0] == 204

    cluster.start()
    assert get(f"/v1/realtime?site={site}", bearer["unused"])[0] == 200
    assert get("/api/me", session)[0] == 200 and get("/trackers/", session)[0] == 200
    assert "Internal Server Error" not in server.log()
