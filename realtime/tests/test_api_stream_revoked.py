"""An open SSE stream ends as soon as its key is revoked, with the `invalid_token` error body;
the streams of other keys go on."""

import asyncio
import json
import time

import pytest

from realtime import live_state, services as realtime_services
from realtime.tests.test_api_stream import _read_events, _snapshots
from realtime.tests.traffic import IP_GB, Traffic
from trackers import services
from trackers.models import ApiKey, Scope

pytestmark = pytest.mark.django_db(transaction=True)


def _errors(events) -> list[dict]:
    out = []
    for block in events:
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if lines.get("event") == "error":
            out.append(json.loads(lines["data"]))
    return out


def _stream(tenant, secret: str, until, after_first):
    return asyncio.run(_read_events(
        "/v1/realtime/stream", f"site={tenant.tracker.public_id}", [(b"authorization", f"Bearer {secret}".encode())],
        until=until, after_first=after_first))


def test_a_stream_ends_with_invalid_token_when_its_key_is_revoked(tenant):
    def revoke():
        services.api_key_revoke(api_key=ApiKey.objects.get(pk=tenant.api_key.pk))

    started, events = _stream(tenant, tenant.secret, until=lambda events: bool(_errors(events)), after_first=revoke)

    assert started["status"] == 200
    assert len(_snapshots(events)) == 1
    assert _errors(events) == [{"error": {"code": "invalid_token", "message": "Bearer token is invalid or revoked."}}]


def test_revoking_one_key_leaves_the_streams_of_other_keys_open(tenant):
    _other, other_secret = services.api_key_issue(account=tenant.account, name="other", scope=Scope.READ_ONLY)
    site = tenant.tracker.public_id
    t = Traffic(site, "planet.example", time.time())

    def revoke_the_first_key_then_announce_a_snapshot():
        services.api_key_revoke(api_key=ApiKey.objects.get(pk=tenant.api_key.pk))
        t.hit(path="/b", ip=IP_GB)
        realtime_services.tracker_tick(live_state.tracker_config_get(site), time.time())

    _started, events = _stream(tenant, other_secret, after_first=revoke_the_first_key_then_announce_a_snapshot,
                               until=lambda events: bool(_errors(events)) or len(_snapshots(events)) >= 2)

    assert _errors(events) == []
    assert [s["total_realtime"] for s in _snapshots(events)] == [0, 1]


def test_a_key_revoked_before_its_stream_listens_ends_the_stream_at_once(tenant):
    # Revoked after the request's key check (a mark in Redis), before the stream subscribed.
    live_state.api_key_mark_revoked(tenant.api_key.hashed_secret)

    _started, events = _stream(tenant, tenant.secret, until=lambda events: bool(_errors(events)), after_first=None)

    assert _snapshots(events) == []
    assert _errors(events)[0]["error"]["code"] == "invalid_token"
