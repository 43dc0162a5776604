"""The tick keeps the console quiet: one INFO summary a minute for the whole installation, and
a WARNING (at most one every TICK_WARNING_SECS) when passes overrun the interval. A private
redis-server keeps other tests' ticks out of the counts."""

from __future__ import annotations

import logging

import pytest
import redis

from realtime import keys, live_state, services
from realtime.tests.servers import start_redis_server

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def private_redis(settings):
    url, stop = start_redis_server()
    original = settings.REDIS_URL
    settings.REDIS_URL = url
    live_state.client.cache_clear()
    services.tracker_configs_publish_all()
    yield redis.Redis.from_url(url)
    stop()
    settings.REDIS_URL = original
    live_state.client.cache_clear()


def _tick_records(caplog, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "realtime.tick" and r.levelno == level]


def test_thirty_passes_log_one_summary_and_the_next_minute_another(tenant, private_redis, caplog):
    caplog.set_level(logging.INFO, logger="realtime.tick")
    for _ in range(30):
        services.tick()
    assert len(_tick_records(caplog, logging.INFO)) == 1
    private_redis.delete(keys.tick_summary_gate())  # the minute is over
    services.tick()
    summaries = _tick_records(caplog, logging.INFO)
    assert len(summaries) == 2
    assert summaries[1].startswith("tick: 30 passes in the last 60 s")


def test_passes_slower_than_the_interval_log_one_warning(tenant, private_redis, caplog, settings):
    settings.NOWMETRIX_SNAPSHOT_INTERVAL_SECS = 1e-6  # every pass overruns it
    caplog.set_level(logging.INFO, logger="realtime.tick")
    for _ in range(5):
        services.tick()
    warnings = _tick_records(caplog, logging.WARNING)
    assert len(warnings) == 1 and "falling behind" in warnings[0]


def test_a_pass_in_time_logs_no_warning(tenant, private_redis, caplog, settings):
    settings.NOWMETRIX_SNAPSHOT_INTERVAL_SECS = 60.0
    caplog.set_level(logging.INFO, logger="realtime.tick")
    for _ in range(5):
        services.tick()
    assert _tick_records(caplog, logging.WARNING) == []
