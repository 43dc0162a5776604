"""Redis clients of the live state and its Lua scripts (realtime/lua/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import redis
import redis.asyncio as aioredis
from django.conf import settings
from redis.exceptions import NoScriptError

from realtime import keys

_LUA_DIR = Path(__file__).resolve().parent.parent / "lua"


def options(**extra) -> dict:
    """Connection options of every live-state client: short timeouts, so a Redis outage
    becomes a quick 503 rather than a hung request."""
    return {"socket_timeout": settings.NOWMETRIX_REDIS_TIMEOUT_SECS, "socket_connect_timeout": 1, **extra}


@lru_cache(maxsize=1)
def client() -> redis.Redis:
    """Sync client (tasks, API, tests), strings decoded."""
    return redis.Redis.from_url(settings.REDIS_URL, **options(decode_responses=True, health_check_interval=15))


@lru_cache(maxsize=1)
def raw_client() -> redis.Redis:
    """Sync client returning bytes: pre-serialized snapshots are served without decoding."""
    return redis.Redis.from_url(settings.REDIS_URL, **options(health_check_interval=15))


_async_clients: dict[int, aioredis.Redis] = {}


def aclient() -> aioredis.Redis:
    """Async client of the running event loop (the lean ingest app)."""
    import asyncio

    loop_id = id(asyncio.get_running_loop())
    found = _async_clients.get(loop_id)
    if found is None:
        found = aioredis.Redis.from_url(settings.REDIS_URL, **options(decode_responses=True))
        _async_clients[loop_id] = found
    return found


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
    """EVALSHA, loading the script once if the server does not know it (first call, restart)."""
    try:
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)
    except NoScriptError:
        conn.script_load(lua.source)
        return conn.evalsha(lua.sha, len(keys_), *keys_, *args)
