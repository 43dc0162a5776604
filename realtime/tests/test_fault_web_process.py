"""A web process ended under load: SIGTERM loses nothing (what Redis cannot take goes to the
spool, and the next process replays it); SIGKILL loses at most what it held in memory, the
hits of its last flush interval. Real uvicorn processes on their own redis-server."""

import http.client
import time

import pytest

from realtime import keys, live_state
from realtime.ingest.visitor import local_date
from realtime.tests.faults import Sent, assert_counts_equal_the_traffic, private_redis
from realtime.tests.servers import start_redis, start_uvicorn, wait_until
from realtime.tests.traffic import DESKTOP_CHROME


class Sender:
    """Beacons over one keep-alive connection, each from its own visitor address."""

    def __init__(self, server, sent: Sent):
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        self.sent = sent

    def send(self, count: int, first: int = 0, visitors: int = 50) -> None:
        for n in range(count):
            body, ip = self.sent.beacon(first + n % visitors, "/politics" if n % 2 else "/", time.time())
            self.conn.request("POST", "/collect", body=body, headers={
                "User-Agent": DESKTOP_CHROME, "X-Forwarded-For": ip, "Content-Type": "text/plain"})
            response = self.conn.getresponse()
            response.read()
            assert response.status == 204

    def close(self) -> None:
        self.conn.close()


def _pageviews(site: str, tz: str) -> int:
    return int(live_state.client().get(keys.tracker_key(site, keys.DAY_PAGEVIEWS_TOTAL, local_date(tz, time.time()))) or 0)


@pytest.mark.slow
def test_sigterm_while_redis_is_away_spools_every_hit_and_the_next_process_replays_them(tenant, settings, tmp_path):
    redis = start_redis(persist=True)
    env = {"REDIS_URL": redis.url, "NOWMETRIX_SPOOL_DIR": str(tmp_path)}
    servers = []
    try:
        with private_redis(settings, redis.url):
            live_state.tracker_config_publish(tenant.tracker)
            sent = Sent(tenant.tracker.public_id)
            first = start_uvicorn(env)
            servers.append(first)
            sender = Sender(first, sent)
            sender.send(100)
            redis.stop()
            sender.send(200, first=100)
            sender.close()
            first.stop()  # SIGTERM: the lifespan spools what Redis cannot take
            assert "Application shutdown complete" in first.log()
            assert any(tmp_path.glob("*.spool"))
            redis = redis.restart()
            servers.append(start_uvicorn(env))  # claims the ended process's files, replays them
            wait_until(lambda: _pageviews(sent.site, tenant.tracker.timezone) == sum(sent.pageviews.values()),
                       20, 0.1, "the spooled hits to be replayed")
            assert_counts_equal_the_traffic(sent, time.time())
            assert not any(tmp_path.glob("*.spool"))
    finally:
        for server in servers:
            server.stop()
        redis.discard()


@pytest.mark.slow
def test_sigkill_loses_at_most_the_hits_held_in_memory(tenant, settings, tmp_path):
    redis = start_redis()
    env = {"REDIS_URL": redis.url, "NOWMETRIX_SPOOL_DIR": str(tmp_path)}
    server = None
    try:
        with private_redis(settings, redis.url):
            live_state.tracker_config_publish(tenant.tracker)
            sent = Sent(tenant.tracker.public_id)
            server = start_uvicorn(env)
            sender = Sender(server, sent)
            sender.send(200)
            written = sum(sent.pageviews.values())
            wait_until(lambda: _pageviews(sent.site, tenant.tracker.timezone) == written, 10, 0.05,
                       "the first hits to be written")
            sender.send(50, first=200)  # then killed at once: these are in its memory window
            server.process.kill()
            server.process.wait()
            sender.close()
            counted = _pageviews(sent.site, tenant.tracker.timezone)
            assert written <= counted <= sum(sent.pageviews.values())  # nothing older lost, nothing twice
    finally:
        if server is not None:
            server.stop()
        redis.discard()
