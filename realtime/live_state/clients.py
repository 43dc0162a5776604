"""Redis clients of the live state and its Lua scripts (realtime/lua/), and of the snapshot
announcements (plain pub/sub servers, `settings.NOWMETRIX_PUBSUB_REDIS_URLS`).

`REDIS_URL` names one server (`redis://`, `rediss://`) or a Redis Cluster (`redis+cluster://`,
`rediss+cluster://` with TLS: any node, the client discovers the rest). The cluster clients are
redis-py's RedisCluster (sync and asyncio): they route each command by its key's slot, and
their pipelines send each node its commands in one round trip, all nodes at once.
"""

from __future__ import annotations

import asyncio
import weakref
import zlib
from urllib.parse import urlsplit, urlunsplit
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import redis
import redis.asyncio as aioredis
import redis.asyncio.cluster as aiocluster
import redis.cluster
from django.conf import settings
from redis.backoff import NoBackoff
from redis.exceptions import NoScriptError
from redis.retry import Retry

from realtime.lua_header import lua_header

_LUA_DIR = Path(__file__).resolve().parent.parent / "lua"
CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


def is_cluster(url: str) -> bool:
    return url.split("://", 1)[0] in CLUSTER_SCHEMES


def node_url(url: str) -> str:
    """The plain URL of a cluster URL's seed node, its options (TLS files...) kept and its
    database dropped: a cluster has only database 0."""
    parts = urlsplit(url)
    return urlunsplit((CLUSTER_SCHEMES[parts.scheme], parts.netloc, "", parts.query, ""))


def options(**extra) -> dict:
    """Connection options of every live-state client: short timeouts, so a Redis outage
    becomes a quick 503 rather than a hung request."""
    return {"socket_timeout": settings.NOWMETRIX_REDIS_TIMEOUT_SECS, "socket_connect_timeout": 1, **extra}


def connect(url: str, **extra) -> redis.Redis | redis.cluster.RedisCluster:
    """A sync client of `url`, a single server or a cluster."""
    if is_cluster(url):
        return redis.cluster.RedisCluster.from_url(node_url(url), **options(**extra))
    return redis.Redis.from_url(url, **options(**extra))


@lru_cache(maxsize=1)
def client() -> redis.Redis:
    """Sync client (tasks, API, tests), strings decoded."""
    return connect(settings.REDIS_URL, decode_responses=True, health_check_interval=15)


@lru_cache(maxsize=1)
def raw_client() -> redis.Redis:
    """Sync client returning bytes: pre-serialized snapshots are served without decoding."""
    return connect(settings.REDIS_URL, health_check_interval=15)


class _PerLoop:
    """Values kept per event loop (async clients are bound to the loop they were made on). Keyed
    by id() with a weak reference to check it: a loop's id is reused once it is collected, and a
    new loop must not get a client whose connections belong to a closed one. Not a
    WeakKeyDictionary: a client holds its loop (through its connections), so the key would never go."""

    def __init__(self):
        self.entries: dict[tuple[int, str], tuple[weakref.ref, object]] = {}

    def get(self, name: str, make):
        loop = asyncio.get_running_loop()
        entry = self.entries.get((id(loop), name))
        if entry is None or entry[0]() is not loop:
            for key in [key for key, (ref, _value) in self.entries.items() if ref() is None]:
                del self.entries[key]  # of collected loops: their connections went with them
            entry = self.entries[(id(loop), name)] = (weakref.ref(loop), make())
        return entry[1]

    def close_idle(self) -> None:
        """Close the values of loops that are open and not running (a closed loop cannot run
        the close; a running one is busy), when this thread runs no loop of its own."""
        try:
            asyncio.get_running_loop()
            return
        except RuntimeError:
            pass
        for ref, value in list(self.entries.values()):
            loop = ref()
            if loop is not None and not loop.is_closed() and not loop.is_running():
                loop.run_until_complete(value.aclose())

    def clear(self) -> None:
        self.entries.clear()


_async_clients = _PerLoop()


def _make_aclient() -> aioredis.Redis:
    if is_cluster(settings.REDIS_URL):
        # No retry inside a command: a flush sends each node its pipeline at once, and the
        # client's retry closes every node's connections (the others' too) and sleeps; the
        # ingest flusher retries on its own cadence, its batches' ids make resends safe.
        return aiocluster.RedisCluster.from_url(node_url(settings.REDIS_URL),
                                                **options(decode_responses=True, retry=Retry(NoBackoff(), 0)))
    return aioredis.Redis.from_url(settings.REDIS_URL, **options(decode_responses=True))


def aclient() -> aioredis.Redis:
    """Async client of the running event loop (the lean ingest app)."""
    return _async_clients.get("live", _make_aclient)


def pubsub_url(channel: str) -> str:
    """The pub/sub server of a channel: the same for every process (CRC32 of its name), so
    publisher and subscribers meet whatever the number of servers."""
    urls = settings.NOWMETRIX_PUBSUB_REDIS_URLS
    return urls[zlib.crc32(channel.encode()) % len(urls)]


@lru_cache(maxsize=None)
def pubsub_client(url: str) -> redis.Redis:
    """Sync client of one plain pub/sub server (bytes)."""
    return redis.Redis.from_url(url, **options(health_check_interval=15))


def pubsub_aclient(url: str) -> aioredis.Redis:
    """Async client of one plain pub/sub server, for the running event loop."""
    return _async_clients.get(f"pubsub:{url}", lambda: aioredis.Redis.from_url(url, **options(decode_responses=True)))


def clients_reset() -> None:
    """Close and forget every client (tests pointing this process at another Redis), so their
    connections do not wait for the garbage collector. An async client can only be closed on its
    own loop: those of a loop that is closed or running elsewhere are only forgotten."""
    for cached in (client, raw_client):
        if cached.cache_info().currsize:
            cached().close()
        cached.cache_clear()
    pubsub_client.cache_clear()  # plain servers the reset does not change: left to the collector
    _async_clients.close_idle()
    _async_clients.clear()


@dataclass(frozen=True)
class LuaScript:
    name: str
    source: str
    sha: str = field(init=False)

    def __post_init__(self):
        import hashlib

        object.__setattr__(self, "sha", hashlib.sha1(self.source.encode()).hexdigest())


@lru_cache(maxsize=None)
def script(name: str) -> LuaScript:
    """A script of realtime/lua/, after the header generated from the key schema
    (`realtime.lua_header`: key suffixes and shared constants) and common.lua's helpers."""
    common = (_LUA_DIR / "common.lua").read_text()
    return LuaScript(name, lua_header() + common + "\n" + (_LUA_DIR / f"{name}.lua").read_text())


def _evalsha(conn, lua: LuaScript, keys_: list[str], args: list):
    """EVALSHA, loading the script once if the server does not know it (first call, restart).
    On a cluster, SCRIPT LOAD goes to every primary (redis-py routes it so)."""
    try:
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)
    except NoScriptError:
        conn.script_load(lua.source)
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)
