"""The oldest Redis NowMetrix runs on, and how a process checks it (nowmetrix.startup in every
process, devstack.stack before it starts a private Redis)."""

from __future__ import annotations

import redis

MIN_REDIS_VERSION = (7, 0)  # EXPIRE ... NX (the rate limit, the live state) is Redis 7.0


class RedisTooOld(RuntimeError):
    pass


def redis_version(url: str, timeout: float = 2.0) -> str:
    """The `redis_version` a server at `url` reports (INFO server); for a cluster URL
    (`redis+cluster://`), the node it names (a cluster runs one version)."""
    if url.split("://", 1)[0].endswith("+cluster"):
        from realtime.live_state.clients import node_url

        url = node_url(url)
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return str(client.info("server")["redis_version"])
    finally:
        client.close()


def check_redis_version(version: str, where: str) -> None:
    """Raise RedisTooOld, with what to do, when `version` is below MIN_REDIS_VERSION."""
    try:
        found = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return  # a fork with its own numbering (Valkey reports 7.2.4 and passes): judged by use
    if found < MIN_REDIS_VERSION:
        wanted = ".".join(map(str, MIN_REDIS_VERSION))
        raise RedisTooOld(
            f"Redis {version} at {where} is too old: NowMetrix needs Redis {wanted} or newer (it uses "
            f"EXPIRE ... NX). Install a newer redis-server (Debian 12 and Ubuntu 24.04 ship 7.0, or "
            f"use Redis's own packages, or a `redis:7` container) and point REDIS_URL at it.")
