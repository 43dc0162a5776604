"""What every endpoint answers when Redis is away, and when the database is away, end to end:
one uvicorn against a private redis-server and a private PostgreSQL cluster, each stopped in
turn (the machine's shared ones are never touched). The README's table "When Redis or the
database is away" states what these tests assert.

Checks other modules already make are not repeated here: `test_api_database_down.py` (the
`/v1` realtime API, `/api/me`, the trackers list and the GA APIs without the database),
`test_api_redis_down.py` (`/v1/realtime`, `/v1/sources` without Redis),
`test_consumer_redis_down.py` (the dashboard socket's 4503 without Redis),
`test_api_stream_redis_down.py` (the SSE stream when Redis goes away mid-stream)."""

from __future__ import annotations

import http.client
import json
import re

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from realtime.consumers import CLOSE_UNAVAILABLE
from realtime.tests.postgres import start_private_postgres
from realtime.tests.servers import manage, start_redis, start_uvicorn, wait_until
from realtime.tests.test_api_database_down import SETUP, _request

pytestmark = pytest.mark.slow

PUBLIC_COUNTER = """
from trackers.models import Tracker
Tracker.objects.filter(hosts__contains=["planet.example"]).update(public_counter=True)
"""
REDIS_UNAVAILABLE = {"error": {"code": "redis_unavailable",
                               "message": "The realtime backend is unavailable, please retry shortly."}}
PASSWORD = "correct horse battery staple"
SILENT = "open, no frame within 5 s"


@pytest.fixture(scope="module")
def stack():
    cluster = start_private_postgres()
    redis = start_redis(persist=True)  # restarted with its data: the trackers' settings stay published
    try:
        env = {"DATABASE_URL": cluster.url, "REDIS_URL": redis.url, "CELERY_BROKER_URL": redis.url}
        manage(env, "migrate", "--noinput")
        setup = json.loads(re.search(r"^SETUP=(.*)$", manage(env, "shell", "-c", SETUP), re.MULTILINE).group(1))
        manage(env, "shell", "-c", PUBLIC_COUNTER)
        with start_uvicorn(env) as server:
            yield {"server": server, "cluster": cluster, "redis": redis, **setup}
    finally:
        cluster.remove()
        redis.discard()


class Caller:
    """Requests against the running server, as a visitor, an API client and a signed-in admin."""

    def __init__(self, stack):
        self.server, self.site, self.view_id = stack["server"], stack["site"], stack["view_id"]
        self.session = {"Cookie": f"sessionid={stack['session']}"}
        self.keys = {name: {"Authorization": f"Bearer {secret}", "Cache-Control": "no-cache"}
                     for name, secret in stack["keys"].items()}

    def get(self, path, headers=None):
        return _request(self.server, "GET", path, headers)

    def post(self, path, headers, body):
        return _request(self.server, "POST", path, headers, body)

    def ingest(self) -> list[int]:
        hit = json.dumps({"s": self.site, "e": "pv", "u": "https://planet.example/"})
        return [self.get("/nm.js")[0],
                self.get(f"/pixel.gif?s={self.site}&e=pv&u=https%3A%2F%2Fplanet.example%2Fp")[0],
                self.post("/collect", {"Content-Type": "text/plain"}, hit)[0]]

    def stream_opens(self) -> tuple[int, dict]:
        """The status and headers of `/v1/realtime/stream` for the remembered key (then hang up)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request("GET", f"/v1/realtime/stream?site={self.site}", headers=self.keys["verified"])
            response = conn.getresponse()
            return response.status, {name.lower(): value for name, value in response.getheaders()}
        finally:
            conn.close()

    def history_api(self, key: str) -> dict[str, tuple[int, dict, bytes]]:
        return {path: self.get(f"{path}?site={self.site}", self.keys[key])
                for path in ("/v1/overview", "/v1/recap", "/v1/pace")}

    def login(self) -> tuple[int, dict, bytes]:
        """The login form, as a browser posts it (CSRF cookie and token from the page)."""
        status, headers, body = self.get("/login")
        assert status == 200, body[:200]
        cookie = re.search(r"csrftoken=([^;]+)", headers["set-cookie"]).group(1)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = f"csrfmiddlewaretoken={token}&username=lois%40planet.example&password={PASSWORD.replace(' ', '+')}"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}",
                   "Referer": f"{self.server.url}/login"}
        return self.post("/login", headers, form)

    def pages(self) -> dict[str, tuple[int, dict, bytes]]:
        return {path: self.get(path, self.session) for path in (
            f"/trackers/{self.site}/live", "/settings/connectors/", f"/trackers/{self.site}/pace")}

    def socket_close_code(self) -> int | str | None:
        """The close code of a dashboard socket opened now (None: it stayed open and sent a frame;
        SILENT: it stayed open and sent nothing within 5 s)."""
        url = f"ws://127.0.0.1:{self.server.port}/ws/trackers/{self.site}/"
        try:
            with connect(url, additional_headers={"Origin": "http://localhost", **self.session}, open_timeout=5) as ws:
                ws.recv(timeout=5)
                return None
        except TimeoutError:
            return SILENT
        except ConnectionClosed as closed:
            return 1006 if closed.rcvd is None else closed.rcvd.code  # 1006: no close frame


def assert_api_error(response, status: int, code: str) -> None:
    got_status, headers, body = response
    assert got_status == status, body[:300]
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == code


def assert_unavailable_page(response) -> None:
    status, headers, body = response
    assert status == 503 and headers["content-type"].startswith("text/html"), body[:300]
    assert b"Temporarily unavailable" in body and int(headers["retry-after"]) > 0


def test_without_redis_ingest_accepts_the_live_apis_answer_503_and_the_pages_keep_working(stack):
    caller, redis = Caller(stack), stack["redis"]
    assert caller.socket_close_code() is None
    redis.stop()

    # Ingest answers at once and spools (issue 10's fault tests count what it keeps).
    assert caller.ingest() == [200, 200, 204]

    # Everything that reads the live state: 503 redis_unavailable, in the API's envelope.
    for path in (f"/v1/realtime/stream?site={caller.site}", f"/v1/public/active?site={caller.site}&url=/"):
        status, headers, body = caller.get(path, caller.keys["verified"])
        assert status == 503 and json.loads(body) == REDIS_UNAVAILABLE, (path, body[:200])
        assert headers["content-type"].startswith("application/json")
    # History reads the database, but its key check and rate limit need Redis.
    for path, response in caller.history_api("verified").items():
        assert response[0] == 503 and json.loads(response[2]) == REDIS_UNAVAILABLE, path

    # Google's envelopes on the GA APIs.
    status, _, body = caller.get(f"/analytics/v3/data/realtime?ids=ga:{caller.view_id}&metrics=rt:activeUsers",
                                 caller.keys["verified"])
    assert status == 503 and json.loads(body)["error"]["errors"][0]["reason"] == "backendError"
    status, _, body = caller.post(f"/v1beta/properties/{caller.view_id}:runRealtimeReport",
                                  {**caller.keys["verified"], "Content-Type": "application/json"},
                                  json.dumps({"metrics": [{"name": "activeUsers"}]}))
    assert status == 503 and json.loads(body)["error"]["status"] == "UNAVAILABLE"

    # What needs only the database keeps working: the account, the docs, login, the pages.
    status, _, body = caller.get("/api/me", caller.keys["verified"])
    assert status == 200 and json.loads(body)["authenticated"] is True
    assert caller.get("/v1/openapi.json")[0] == 200 and caller.get("/docs/api")[0] == 200
    status, headers, _ = caller.login()  # the login throttle fails open
    assert status == 302 and "sessionid=" in headers["set-cookie"]
    for path, (status, headers, body) in caller.pages().items():
        assert status == 200 and headers["content-type"].startswith("text/html"), (path, body[:200])

    redis.restart()
    wait_until(lambda: caller.get(f"/v1/realtime?site={caller.site}", caller.keys["verified"])[0] == 200,
               message="the API back after Redis")
    # The channel layer reconnects in the background; meanwhile the page retries on 4503.
    try:
        wait_until(lambda: caller.socket_close_code() is None, 30, 0.5, "the dashboard socket back after Redis")
    except AssertionError as error:
        raise AssertionError(f"{error}; last: {caller.socket_close_code()!r}\n{stack['server'].log()}") from None
    assert "Internal Server Error" not in caller.server.log()


def test_without_the_database_ingest_and_live_reads_go_on_and_the_rest_answers_503(stack):
    caller, cluster = Caller(stack), stack["cluster"]
    # Remembered by this server, as in test_api_database_down.
    assert caller.get(f"/v1/realtime?site={caller.site}", caller.keys["verified"])[0] == 200
    cluster.stop()

    assert caller.ingest() == [200, 200, 204]

    # A remembered key's stream opens (its first frame comes from Redis).
    status, headers = caller.stream_opens()
    assert status == 200 and headers["content-type"].startswith("text/event-stream")

    # The public counter reads only the live state.
    status, _, body = caller.get(f"/v1/public/active?site={caller.site}&url=/")
    assert status == 200 and json.loads(body)["site"] == caller.site

    # History reads its rollups from the database: 503 service_unavailable, for a remembered
    # key as for a key never seen (nothing cached for these queries).
    for key in ("verified", "unused"):
        for path, response in caller.history_api(key).items():
            assert_api_error(response, 503, "service_unavailable")
            assert int(response[1]["retry-after"]) > 0

    # The GA APIs look every key up in the database, a remembered one too: Google's 503.
    status, _, body = caller.get(f"/analytics/v3/data/realtime?ids=ga:{caller.view_id}&metrics=rt:activeUsers",
                                 caller.keys["verified"])
    assert status == 503 and json.loads(body)["error"]["errors"][0]["reason"] == "backendError"
    status, _, body = caller.post(f"/v1beta/properties/{caller.view_id}:runRealtimeReport",
                                  {**caller.keys["verified"], "Content-Type": "application/json"},
                                  json.dumps({"metrics": [{"name": "activeUsers"}]}))
    assert status == 503 and json.loads(body)["error"]["status"] == "UNAVAILABLE"

    # The schema and the docs page are static.
    assert caller.get("/v1/openapi.json")[0] == 200 and caller.get("/docs/api")[0] == 200

    # The login page renders; logging in and every signed-in page get the plain 503 page.
    assert_unavailable_page(caller.login())
    for path, response in caller.pages().items():
        assert_unavailable_page(response)

    # The dashboard socket: accepted and closed with 4503, which the page retries.
    assert caller.socket_close_code() == CLOSE_UNAVAILABLE

    cluster.start()
    wait_until(lambda: caller.get("/api/me", caller.session)[0] == 200, message="the pages back after the database")
    assert caller.socket_close_code() is None
    assert "Internal Server Error" not in caller.server.log()
