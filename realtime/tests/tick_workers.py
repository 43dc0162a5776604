"""Real Celery workers sharing the sharded tick, on a private redis-server (live state and
broker), with the test process playing beat: it sends the real `realtime.tasks.tick` (which
fans out one task per shard) when it wants a tick, so each tick is one the test can name."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from realtime import live_state
from realtime.tests.servers import BASE_DIR, Worker, wait_until


def worker_env(redis_url: str, shards: int, **extra: str) -> dict[str, str]:
    # A long interval: shard tasks never expire in a test, and no beat runs on its own.
    return {"REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url, "NOWMETRIX_TICK_SHARDS": str(shards),
            "NOWMETRIX_SNAPSHOT_INTERVAL_SECS": "600", **extra}


def start_worker(env: dict[str, str], name: str) -> Worker:
    """A Celery worker without beat (solo pool: it runs tasks in its own process, whose id is the
    one its lock tokens name)."""
    child_env = dict(os.environ, DJANGO_SETTINGS_MODULE="nowmetrix.settings", PYTHONUNBUFFERED="1", **env)  # a live log
    workdir = Path(tempfile.mkdtemp(prefix=f"celery-{name}-"))
    log_path = workdir / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "nowmetrix", "worker", "-n", f"{name}@%h", "--pool", "solo",
             "-l", "INFO", "--without-gossip", "--without-mingle"],
            cwd=BASE_DIR, env=child_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    return Worker(process, log_path)


def wait_ready(worker: Worker, timeout: float = 60.0) -> None:
    wait_until(lambda: " ready." in worker.log_path.read_text(errors="replace"), timeout, 0.1,
               f"a Celery worker ready:\n{worker.log()}")


def send_tick(redis_url: str) -> None:
    """What beat does every second: send `realtime.tasks.tick` to the broker."""
    from nowmetrix.celery import app

    with app.connection_for_write(redis_url) as conn:
        app.send_task("realtime.tasks.tick", connection=conn)


def shards_done(shards: int) -> list[dict[str, str]]:
    return [live_state.shard_done_get(shard) for shard in range(shards)]


def wait_tick_done(shards: list[int] | range, after: int = 0, timeout: float = 300.0) -> int:
    """Wait until the given shards have all completed the same tick later than `after`; returns it."""
    def done() -> int | None:
        ticks = {int(live_state.shard_done_get(shard).get("tick", 0)) for shard in shards}
        if len(ticks) == 1:
            (tick,) = ticks
            if tick > after:
                return tick
        return None

    return wait_until(done, timeout, 0.2, f"shards {shards[:8]}... done with a tick after {after}")
