"""Every snapshot announcement leaves through realtime.events: a tick publishes each tracker's
new snapshot once on its SSE channel, with the stored number and ETag; storing a snapshot
publishes nothing."""

import time

from realtime import keys, live_state, services
from realtime.events import SseMessage
from realtime.tests.traffic import Traffic

SENTINEL = "end-of-test"


def _subscribed(*sites: str):
    pubsub = live_state.raw_client().pubsub()
    pubsub.subscribe(*(keys.snapshot_channel(site) for site in sites))
    for _ in sites:  # the confirmations: subscribed before anything is published
        assert pubsub.get_message(timeout=10)["type"] == "subscribe"
    return pubsub


def _published(pubsub, site: str) -> list[tuple[str, str]]:
    """What was published before this call: a sentinel published now arrives after all of it."""
    live_state.raw_client().publish(keys.snapshot_channel(site), SENTINEL)
    got = []
    while True:
        message = pubsub.get_message(timeout=10)
        assert message is not None, f"the sentinel never arrived; got {got}"
        if message["type"] != "message":
            continue
        if message["data"] == SENTINEL.encode():
            return got
        got.append((message["channel"].decode(), message["data"].decode()))


def test_a_tick_publishes_each_trackers_snapshot_once_with_its_stored_number_and_etag(tenant, outsider):
    now = time.time()
    Traffic(tenant.tracker.public_id, "planet.example", now).hit()
    Traffic(outsider.tracker.public_id, "bugle.example", now).hit()
    pubsub = _subscribed(tenant.tracker.public_id, outsider.tracker.public_id)
    try:
        services.tick(now)  # other tests' trackers may be live too: only ours are listened to
        published = sorted(_published(pubsub, tenant.tracker.public_id))
    finally:
        pubsub.close()
    stored = {keys.snapshot_channel(t.tracker.public_id): live_state.snapshot_get(t.tracker.public_id)
              for t in (tenant, outsider)}
    assert [channel for channel, _message in published] == sorted(stored)
    for channel, message in published:
        announced = SseMessage.parse(message)
        assert (announced.seq, announced.etag) == (stored[channel].seq, stored[channel].etag)


def test_a_tick_without_announcements_and_a_stored_snapshot_publish_nothing(tenant):
    now = time.time()
    site = tenant.tracker.public_id
    Traffic(site, "planet.example", now).hit()
    pubsub = _subscribed(site)
    try:
        services.tick(now, announce=False)
        live_state.snapshot_store(site, live_state.snapshot_get(site), minute_peak=1)
        assert _published(pubsub, site) == []
    finally:
        pubsub.close()
