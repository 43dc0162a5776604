"""A dashboard socket opened while Redis is away is closed with CLOSE_UNAVAILABLE (4503), which
the page retries with back-off, never dropped with an unhandled error; once Redis is back the
same page connects again."""

import pytest
from asgiref.sync import sync_to_async

from realtime import services
from realtime.consumers import CLOSE_UNAVAILABLE
from realtime.tests.redis_outage import PrivateRedis, use_redis
from realtime.tests.ws import connect_as, receive_close_code, receive_frame, tick

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def private_redis(settings, tenant):
    original = settings.REDIS_URL
    redis = PrivateRedis()
    use_redis(settings, redis.url)
    services.tracker_configs_publish_all()  # the tenant's tracker, as the periodic republish does
    yield redis
    redis.stop()
    use_redis(settings, original)


def path(tenant) -> str:
    return f"/ws/trackers/{tenant.tracker.public_id}/"


async def test_a_socket_that_cannot_subscribe_is_closed_with_4503(tenant, private_redis):
    await tick(tenant.tracker.public_id)
    live = await connect_as(tenant.admin, path(tenant))
    assert (await receive_frame(live))["type"] == "snapshot"
    await live.disconnect()

    private_redis.stop()
    refused = await connect_as(tenant.admin, path(tenant))

    assert await receive_close_code(refused) == CLOSE_UNAVAILABLE


async def test_the_page_connects_again_once_redis_is_back(tenant, private_redis):
    private_redis.stop()
    refused = await connect_as(tenant.admin, path(tenant))
    assert await receive_close_code(refused) == CLOSE_UNAVAILABLE

    private_redis.restart()
    await sync_to_async(services.tracker_configs_publish_all)()
    await tick(tenant.tracker.public_id)
    again = await connect_as(tenant.admin, path(tenant))

    assert (await receive_frame(again))["realtime"]["site"] == tenant.tracker.public_id
    await again.disconnect()
