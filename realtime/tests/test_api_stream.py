"""GET /v1/realtime/stream: Server-Sent Events of the same snapshots, same auth and errors."""

import asyncio
import json
import time

import pytest

from nowmetrix.asgi import application
from realtime.tests.traffic import IP_GB, Traffic
from realtime.tests.test_event_schema import check_realtime


async def _read_events(path: str, query: str, headers: list, until, after_first=None, timeout: float = 10.0):
    """Drive the real ASGI app; `until(events)` says when to stop; `after_first` runs (in a
    thread) once the first event arrived."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "path": path,
             "raw_path": path.encode(), "query_string": query.encode(), "headers": headers, "scheme": "http",
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    done, first = asyncio.Event(), asyncio.Event()
    started, buffer, events = {}, [b""], []
    sent_request = []

    async def receive():
        if not sent_request:
            sent_request.append(1)
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            started.update(status=message["status"], headers={k.lower(): v for k, v in message["headers"]})
            return
        buffer[0] += message.get("body", b"")
        while b"\n\n" in buffer[0]:
            block, buffer[0] = buffer[0].split(b"\n\n", 1)
            events.append(block.decode())
            first.set()
            if until(events):
                done.set()
        if not message.get("more_body", False):
            done.set()

    task = asyncio.create_task(application(scope, receive, send))
    try:
        if after_first is not None:
            await asyncio.wait_for(first.wait(), timeout)
            await asyncio.to_thread(after_first)
        await asyncio.wait_for(done.wait(), timeout)
    finally:
        try:
            await asyncio.wait_for(task, 5)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            task.cancel()
    return started, events


def _snapshots(events):
    out = []
    for block in events:
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if lines.get("event") == "snapshot":
            out.append(json.loads(lines["data"]))
    return out


@pytest.mark.django_db(transaction=True)
def test_the_stream_sends_the_current_snapshot_then_each_new_one(tenant):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())
    t.hit(path="/a")
    t.snapshot()

    def second_visitor():
        t.now = time.time()
        t.hit(path="/b", ip=IP_GB)
        from realtime import live_state, services

        services.tracker_tick(live_state.tracker_config_get(site), t.now)  # stores and announces

    started, events = asyncio.run(_read_events(
        "/v1/realtime/stream", f"site={site}", [(b"authorization", f"Bearer {tenant.secret}".encode())],
        until=lambda events: len(_snapshots(events)) >= 2, after_first=second_visitor))
    assert started["status"] == 200
    assert started["headers"][b"content-type"].startswith(b"text/event-stream")
    first, second = _snapshots(events)[:2]
    assert first["total_realtime"] == 1 and second["total_realtime"] == 2
    assert list(second) == ["site", "updated_at", "total_realtime", "total_pageviews_today",
                            "total_unique_visitors_today", "devices", "top_pages", "countries", "cities",
                            "sources_top5"]
    for snap in (first, second):  # the SSE `snapshot` event has the schema of the WebSocket's `realtime`
        check_realtime(snap, site)


def test_the_stream_answers_the_same_errors_as_the_realtime_endpoint(client, tenant, outsider, bearer):
    assert client.get("/v1/realtime/stream?site=x").json()["error"]["code"] == "missing_token"
    assert client.get("/v1/realtime/stream", **bearer).json()["error"]["code"] == "site_required"
    response = client.get(f"/v1/realtime/stream?site={outsider.tracker.public_id}", **bearer)
    assert response.status_code == 403 and response.json()["error"]["code"] == "site_not_authorized"
    bad = client.get(f"/v1/realtime/stream?site={tenant.tracker.public_id}", HTTP_AUTHORIZATION="Bearer nm_x")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_token"


def _blocks(events) -> list[dict]:
    """Each event as {field: value}, comments and retry-only blocks left out."""
    out = []
    for block in events:
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in lines:
            out.append(lines)
    return out


def _delta_stream(tenant, after_first, until, last_event_id: str = ""):
    headers = [(b"authorization", f"Bearer {tenant.secret}".encode())]
    if last_event_id:
        headers.append((b"last-event-id", last_event_id.encode()))
    return asyncio.run(_read_events("/v1/realtime/stream", f"site={tenant.tracker.public_id}&frames=delta", headers,
                                    until=until, after_first=after_first))


@pytest.mark.django_db(transaction=True)
def test_with_delta_frames_it_streams_the_whole_snapshot_then_patches_numbered_by_id(tenant):
    from realtime import deltas, live_state, services

    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())
    t.hit(path="/a")
    t.snapshot()
    t.snapshot()

    def more_visitors():
        for i, path in enumerate(["/b", "/c"]):
            t.now = time.time() + i
            t.hit(path=path, ip=IP_GB if i else "1.1.1.1")
            services.tracker_tick(live_state.tracker_config_get(site), t.now)

    _started, events = _delta_stream(tenant, more_visitors, until=lambda events: len(_blocks(events)) >= 3)
    first, *patches = _blocks(events)[:3]
    assert first["event"] == "snapshot"
    shown, seq = json.loads(first["data"]), int(first["id"])
    for block in patches:
        body = json.loads(block["data"])
        assert block["event"] == "delta" and list(body) == ["seq", "base", "realtime"]
        assert body["base"] == seq and body["seq"] == seq + 1 == int(block["id"])
        shown, seq = deltas.apply(shown, body["realtime"]), body["seq"]
    assert shown == json.loads(live_state.snapshot_get(site).realtime)
    assert shown["total_realtime"] == 3
    check_realtime(shown, site)


@pytest.mark.django_db(transaction=True)
def test_with_delta_frames_a_client_reconnecting_with_the_current_id_gets_patches_only(tenant):
    from realtime import live_state, services

    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())
    t.hit(path="/a")
    t.snapshot()
    current = live_state.snapshot_get(site).seq

    def next_build():
        t.now = time.time()
        t.hit(path="/b", ip=IP_GB)
        services.tracker_tick(live_state.tracker_config_get(site), t.now)

    # The stream opens with its `retry:` line only; the build follows once that arrived.
    _started, events = _delta_stream(tenant, next_build, until=lambda events: len(_blocks(events)) >= 1,
                                     last_event_id=str(current))
    got_first = _blocks(events)
    assert [b["event"] for b in got_first] == ["delta"] and int(got_first[0]["id"]) == current + 1


def test_an_unknown_frames_value_is_an_invalid_parameter(client, tenant, bearer):
    response = client.get(f"/v1/realtime/stream?site={tenant.tracker.public_id}&frames=diff", **bearer)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_parameter"
