"""Every process refuses a Redis older than 7.0 at start, with a message that says what to do
(NowMetrix uses EXPIRE ... NX): the web server, the Celery worker and Celery beat. The stack's
own check is in test_stack.py. The old Redis is a stand-in on 127.0.0.1 (old_redis.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from devstack.processes import BASE_DIR, UVICORN_ARGS, free_port
from nowmetrix.tests.old_redis import VERSION, old_redis

pytestmark = pytest.mark.slow
MESSAGE = f"Redis {VERSION} at REDIS_URL is too old: NowMetrix needs Redis 7.0 or newer"


def _run(argv: list[str], url: str, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, REDIS_URL=url, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    return subprocess.run([sys.executable, "-m", *argv], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("argv", [
    ["celery", "-A", "nowmetrix", "worker", "--pool", "solo", "-l", "WARNING"],
    ["celery", "-A", "nowmetrix", "beat", "-l", "WARNING", "-s", "{tmp}/beat-schedule"],
    ["uvicorn", "nowmetrix.asgi:application", "--host", "127.0.0.1", "--port", "{port}", *UVICORN_ARGS],
], ids=["worker", "beat", "web"])
def test_a_process_stops_at_start_on_a_redis_older_than_7(argv, tmp_path):
    argv = [a.format(tmp=tmp_path, port=free_port()) for a in argv]
    with old_redis() as url:
        done = _run(argv, url, tmp_path)
    assert done.returncode != 0
    assert MESSAGE in done.stderr
