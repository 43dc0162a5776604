"""With the database away, both GA APIs answer Google's "try again" errors in JSON (v3 `503
backendError`, GA4 `503 UNAVAILABLE`), never Django's HTML 500, and recover when it is back.
The server gets a database file of its own, which the test swaps for a directory: SQLite then
cannot open it, as a PostgreSQL that went away cannot be reached. (The shared databases are
never touched.)"""

from __future__ import annotations

import json
import shutil

import pytest

from gacompat.tests import clients
from gacompat.tests.conftest import start_server, take_site


@pytest.fixture
def server_with_own_database(ga_world):
    database = ga_world["tmp"] / "away.sqlite3"
    shutil.copy(ga_world["tmp"] / "db.sqlite3", database)
    # A connection per request (no persistent one holding the old file open).
    env = dict(ga_world["env"], DATABASE_URL=f"sqlite:///{database}", NOWMETRIX_DB_CONN_MAX_AGE="0")
    server = start_server(env, ga_world["tmp"])
    yield server, database
    server.stop()


def ask(server, keys, site):
    v3 = clients.raw(server, "/analytics/v3/data/realtime", {"ids": site.ids, "metrics": "rt:activeUsers"},
                     token=keys["read"])
    ga4 = clients.raw(server, f"/v1beta/{site.property}:runRealtimeReport", token=keys["read"], method="POST",
                      body=json.dumps({"metrics": [{"name": "activeUsers"}]}).encode())
    return [(status, headers["content-type"], json.loads(body)) for status, headers, body in (v3, ga4)]


def test_the_ga_apis_answer_503_in_googles_envelope_while_the_database_is_away(server_with_own_database, ga_world,
                                                                             keys):
    server, database = server_with_own_database
    site = take_site(ga_world)
    assert [status for status, _, _ in ask(server, keys, site)] == [200, 200]
    away = database.with_suffix(".away")
    database.rename(away)
    database.mkdir()  # what SQLite finds there now cannot be opened
    try:
        (v3_status, v3_type, v3_body), (ga4_status, ga4_type, ga4_body) = ask(server, keys, site)
    finally:
        database.rmdir()
        away.rename(database)
    assert v3_status == 503 and v3_type.startswith("application/json")
    assert v3_body["error"]["errors"][0]["reason"] == "backendError"
    assert ga4_status == 503 and ga4_type.startswith("application/json")
    assert ga4_body["error"] == {"code": 503, "message": "The service is currently unavailable.",
                                 "status": "UNAVAILABLE"}
    assert [status for status, _, _ in ask(server, keys, site)] == [200, 200]
