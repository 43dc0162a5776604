"""After Redis comes back empty, tracker settings are published again without waiting for the
minute's republish: by the tick (within a pass, on a one-key check) and by every process that
starts (nowmetrix/startup.py). A private redis-server is restarted empty; the shared one is
never touched."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import redis

from nowmetrix.startup import process_started
from realtime import keys, live_state, services
from realtime.tests.servers import start_redis_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _use_redis(settings, url: str) -> None:
    settings.REDIS_URL = url
    live_state.client.cache_clear()
    live_state.raw_client.cache_clear()


@pytest.fixture
def private_redis(settings):
    url, stop = start_redis_server()
    original = settings.REDIS_URL
    _use_redis(settings, url)
    handle = {"url": url, "stop": stop}
    yield handle
    handle["stop"]()
    _use_redis(settings, original)


def _restart_empty(private_redis) -> None:
    private_redis["stop"]()
    url, private_redis["stop"] = start_redis_server(port=urlsplit(private_redis["url"]).port)
    assert url == private_redis["url"]
    live_state.client.cache_clear()  # the old connection is gone with the old server
    live_state.raw_client.cache_clear()


def _published(public_id: str) -> bool:
    return live_state.tracker_config_get(public_id) is not None


def test_the_tick_republishes_every_trackers_settings_after_redis_restarts_empty(tenant, outsider, private_redis):
    services.tracker_configs_publish_all()
    _restart_empty(private_redis)
    assert not _published(tenant.tracker.public_id) and not live_state.configs_published()

    services.tick()

    assert _published(tenant.tracker.public_id) and _published(outsider.tracker.public_id)
    assert live_state.configs_published()


def test_a_tick_with_the_settings_in_place_does_not_query_the_database(tenant, private_redis,
                                                                       django_assert_num_queries):
    services.tracker_configs_publish_all()
    with django_assert_num_queries(0):
        services.tick()


def test_a_starting_process_republishes_every_trackers_settings(tenant, private_redis):
    _restart_empty(private_redis)
    process_started("worker")
    assert _published(tenant.tracker.public_id) and live_state.configs_published()


def test_a_starting_process_writes_its_ready_file_after_republishing(tenant, private_redis, tmp_path, monkeypatch):
    ready = tmp_path / "run" / "beat.ready"
    monkeypatch.setenv("NOWMETRIX_READY_FILE", str(ready))
    process_started("beat")
    assert ready.is_file() and _published(tenant.tracker.public_id)


def test_a_process_starting_while_redis_is_away_still_starts(tenant, settings, tmp_path, monkeypatch, caplog):
    url, stop = start_redis_server()
    stop()  # a port nothing answers on any more
    original = settings.REDIS_URL
    _use_redis(settings, url)
    ready = tmp_path / "web.ready"
    monkeypatch.setenv("NOWMETRIX_READY_FILE", str(ready))
    try:
        process_started("web")
    finally:
        _use_redis(settings, original)
    assert ready.is_file()
    assert "could not republish tracker settings" in caplog.text


def test_the_mark_expires_before_the_settings_it_vouches_for(tenant, private_redis):
    client = redis.Redis.from_url(private_redis["url"], decode_responses=True)
    try:
        services.tracker_configs_publish_all()
        assert 0 < client.ttl(keys.configs_published()) < client.ttl(keys.tracker_config(tenant.tracker.public_id))
    finally:
        client.close()


def test_a_process_refuses_to_start_on_a_redis_older_than_7(settings):
    from nowmetrix.redis_version import RedisTooOld
    from nowmetrix.tests.old_redis import old_redis

    with old_redis() as url:
        settings.REDIS_URL = url
        with pytest.raises(RedisTooOld, match=r"Redis 6\.2\.14 at REDIS_URL is too old: NowMetrix needs Redis 7\.0"):
            process_started("worker")
