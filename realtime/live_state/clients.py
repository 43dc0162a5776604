"""Redis clients of the live state and its Lua scripts (realtime/lua/), and of the snapshot
announcements (plain pub/sub servers, `settings.NOWMETRIX_PUBSUB_REDIS_URLS`).

`REDIS_URL` names one server (`redis://`, `rediss://`) or a Redis Cluster (`redis+cluster://`,
`rediss+cluster://` with TLS: any node, the client discovers the rest). The cluster clients are
redis-py's RedisCluster (sync and asyncio): they route each command by its key's slot, and
their pipelines send each node its commands in one round trip, all nodes at once.
"""

from __future__ import annotations

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

from realtime import keys

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


_async_clients: dict[int, aioredis.Redis] = {}


def aclient() -> aioredis.Redis:
    """Async client of the running event loop (the lean ingest app)."""
    import asyncio

    loop_id = id(asyncio.get_running_loop())
    found = _async_clients.get(loop_id)
    if found is None:
        if is_cluster(settings.REDIS_URL):
            # No retry inside a command: a flush sends each node its pipeline at once, and the
            # client's retry closes every node's connections (the others' too) and sleeps; the
            # ingest flusher retries on its own cadence, its batches' ids make resends safe.
            found = aiocluster.RedisCluster.from_url(node_url(settings.REDIS_URL),
                                                     **options(decode_responses=True, retry=Retry(NoBackoff(), 0)))
        else:
            found = aioredis.Redis.from_url(settings.REDIS_URL, **options(decode_responses=True))
        _async_clients[loop_id] = found
    return found


def pubsub_url(channel: str) -> str:
    """The pub/sub server of a channel: the same for every process (CRC32 of its name), so
    publisher and subscribers meet whatever the number of servers."""
    urls = settings.NOWMETRIX_PUBSUB_REDIS_URLS
    return urls[zlib.crc32(channel.encode()) % len(urls)]


@lru_cache(maxsize=None)
def pubsub_client(url: str) -> redis.Redis:
    """Sync client of one plain pub/sub server (bytes)."""
    return redis.Redis.from_url(url, **options(health_check_interval=15))


_async_pubsub_clients: dict[tuple[int, str], aioredis.Redis] = {}


def pubsub_aclient(url: str) -> aioredis.Redis:
    """Async client of one plain pub/sub server, for the running event loop."""
    import asyncio

    loop_key = (id(asyncio.get_running_loop()), url)
    found = _async_pubsub_clients.get(loop_key)
    if found is None:
        found = _async_pubsub_clients[loop_key] = aioredis.Redis.from_url(url, **options(decode_responses=True))
    return found


def clients_reset() -> None:
    """Forget every client (tests pointing this process at another Redis)."""
    client.cache_clear()
    raw_client.cache_clear()
    pubsub_client.cache_clear()
    _async_clients.clear()
    _async_pubsub_clients.clear()


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
    (`keys.lua_header`: key suffixes and shared constants) and common.lua's helpers."""
    common = (_LUA_DIR / "common.lua").read_text()
    return LuaScript(name, keys.lua_header() + common + "\n" + (_LUA_DIR / f"{name}.lua").read_text())


def _evalsha(conn, lua: LuaScript, keys_: list[str], args: list):
    """EVALSHA, loading the script once if the server does not know it (first call, restart).
    On a cluster, SCRIPT LOAD goes to every primary (redis-py routes it so)."""
    try:
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)
    except NoScriptError:
        conn.script_load(lua.source)
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)
