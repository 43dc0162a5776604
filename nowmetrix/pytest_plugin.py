"""Loaded by pytest before Django's settings (`-p nowmetrix.pytest_plugin` in pytest.ini):
gives every test run its own Redis key prefix on the real Redis server, and removes the
run's keys at the end. Never FLUSHALL: the server may be shared."""

import os
import shutil
import tempfile
import uuid

RUN_PREFIX = f"nmtest-{uuid.uuid4().hex[:10]}"
os.environ["NOWMETRIX_REDIS_PREFIX"] = RUN_PREFIX
os.environ.setdefault("NOWMETRIX_ALLOW_DEV_SECRET", "1")
# Never the instance file of a developer's `make run` (its private Redis, its database).
os.environ.setdefault("NOWMETRIX_INSTANCE_FILE", "")
# Requests served in other threads (the ASGI app in-process) close their connections at once,
# so the test database can be dropped at the end of the run.
os.environ.setdefault("NOWMETRIX_DB_CONN_MAX_AGE", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nowmetrix.settings")
# The run's own ingest spool: files left by another run are never replayed into this one.
os.environ["NOWMETRIX_SPOOL_DIR"] = os.path.join(tempfile.gettempdir(), f"{RUN_PREFIX}-spool")


def delete_keys(url: str, prefix: str) -> int:
    """Remove the keys starting with (or containing) `prefix` from one Redis or a cluster (SCAN
    on every primary, one UNLINK per key in a pipeline: a cluster has no multi-slot UNLINK)."""
    import redis

    from realtime.live_state.clients import connect, is_cluster

    client = connect(url) if is_cluster(url) else redis.Redis.from_url(url)
    deleted = 0
    try:
        for pattern in (f"{prefix}*", f"*{prefix}*"):
            batch = list(client.scan_iter(match=pattern, count=1000))
            for i in range(0, len(batch), 500):
                pipe = client.pipeline(transaction=False)
                for key in batch[i : i + 500]:
                    pipe.unlink(key)
                deleted += sum(pipe.execute())
    finally:
        client.close()
    return deleted


def pytest_sessionfinish(session, exitstatus):
    from django.conf import settings

    shutil.rmtree(os.environ["NOWMETRIX_SPOOL_DIR"], ignore_errors=True)
    try:
        delete_keys(settings.REDIS_URL, RUN_PREFIX)
    except Exception:  # noqa: BLE001 - cleanup must not mask the run's result (e.g. Redis stopped)
        pass
