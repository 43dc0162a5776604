"""GET /v1/realtime/stream when Redis goes away mid-stream: the stream ends with a `retry:` and
an `event: error` carrying the documented error body, instead of just stopping."""

import asyncio
import json
import time

import pytest

from realtime import services
from realtime.tests.redis_outage import PrivateRedis, use_redis
from realtime.tests.test_api_stream import _read_events, _snapshots
from realtime.tests.traffic import Traffic

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def private_redis(settings, tenant):
    original = settings.REDIS_URL
    redis = PrivateRedis()
    use_redis(settings, redis.url)
    services.tracker_configs_publish_all()
    yield redis
    redis.stop()
    use_redis(settings, original)


def _fields(block: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))


def test_the_stream_ends_with_an_error_event_and_a_retry_when_redis_goes_away(tenant, private_redis):
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())
    t.hit(path="/a")
    t.snapshot()

    started, events = asyncio.run(_read_events(
        "/v1/realtime/stream", f"site={site}", [(b"authorization", f"Bearer {tenant.secret}".encode())],
        until=lambda events: any(_fields(e).get("event") == "error" for e in events),
        after_first=private_redis.stop))

    assert started["status"] == 200
    assert _snapshots(events)[0]["total_realtime"] == 1
    last = _fields(events[-1])
    assert last["event"] == "error"
    assert last["retry"] == "5000"
    assert json.loads(last["data"]) == {"error": {
        "code": "redis_unavailable", "message": "The realtime backend is unavailable, please retry shortly."}}
