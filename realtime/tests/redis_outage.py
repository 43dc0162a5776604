"""Point this process's live state, cache and channel layer at a private redis-server that a
test may stop and bring back (the machine's shared Redis is never stopped)."""

from __future__ import annotations

from urllib.parse import urlsplit

from realtime.api import keycache, microcache
from realtime.live_state import clients
from realtime.tests.servers import start_redis_server


def use_redis(settings, url: str) -> None:
    settings.REDIS_URL = url
    settings.NOWMETRIX_PUBSUB_REDIS_URLS = [url]
    # Channels drops its cached layers when CHANNEL_LAYERS changes.
    settings.CHANNEL_LAYERS = {"default": {**settings.CHANNEL_LAYERS["default"],
                                           "CONFIG": {**settings.CHANNEL_LAYERS["default"]["CONFIG"], "hosts": [url]}}}
    clients.clients_reset()
    microcache.clear()
    keycache.clear()


class PrivateRedis:
    """A private redis-server: `stop()` it, `restart()` it on the same port."""

    def __init__(self):
        self.url, self._stop = start_redis_server()

    def stop(self) -> None:
        self._stop()

    def restart(self) -> None:
        url, self._stop = start_redis_server(port=urlsplit(self.url).port)
        assert url == self.url
