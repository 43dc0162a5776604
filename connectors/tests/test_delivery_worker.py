"""A real Celery worker evaluates and delivers; killed in the middle of a delivery, the worker
that replaces it never sends that delivery again."""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

from connectors.tests import receiver as r
from nowmetrix.celery import app
from realtime.tests.servers import _stop, manage, wait_until
from realtime.tests.traffic import Traffic

SETUP = """
from trackers import services as t
from connectors import services as c
admin, _ = t.user_get_or_create(email="ed@planet.example", password="correct horse battery staple")
account = t.account_create(name="Planet", owner=admin, timezone_name="UTC")
tracker = t.tracker_create(account=account, name="Planet", hosts=["planet.example"])
connector = c.connector_create(account=account, tracker=tracker, name="Big", threshold=2, channels=[
    {"kind": "webhook", "url": "%(origin)s/hook", "given": {"secret": "%(secret)s"}}])
print("TRACKER=" + tracker.public_id)
"""


def _worker(env: dict, log: Path) -> subprocess.Popen:
    """One worker process (solo pool, no beat): the test drives evaluations itself."""
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "celery", "-A", "nowmetrix", "worker", "--pool", "solo",
                                 "-l", "INFO"], cwd=settings.BASE_DIR, env={**os.environ, **env}, stdout=out,
                                stderr=subprocess.STDOUT)


def _deliveries(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status, attempts FROM connectors_delivery").fetchall()


def _succeeded(log: Path, task: str) -> int:
    text = log.read_text() if log.exists() else ""
    return sum(1 for line in text.splitlines() if f"{task}[" in line and "succeeded" in line)


@pytest.mark.slow
def test_a_worker_killed_mid_delivery_is_not_followed_by_a_second_send(receiver):
    tmp = Path(tempfile.mkdtemp(prefix="nm-connectors-"))
    db = tmp / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "NOWMETRIX_CONNECTOR_READ_TIMEOUT_SECS": "120",
           "NOWMETRIX_CONNECTOR_ALLOW_PRIVATE": "1"}
    manage(env, "migrate", "--noinput")
    site = manage(env, "shell", "-c", SETUP % {"origin": receiver.origin, "secret": r.WEBHOOK_SECRET}).split("TRACKER=")[1].strip()
    traffic = Traffic(site, "planet.example", time.time())
    assert [traffic.hit(path="/big", ip=f"8.8.8.{i + 1}", t="Big story") for i in range(3)] == [None] * 3
    receiver.script(0, delay=60)  # the first request hangs: the worker is killed while it waits
    first = _worker(env, tmp / "worker.log")
    second = None
    try:
        traffic.now = time.time()
        assert traffic.snapshot()["top_pages"][0]["realtime_users"] == 3
        app.send_task("connectors.tasks.evaluate")
        try:
            wait_until(lambda: receiver.arrivals, timeout=60, message="the delivery's request")
        except AssertionError:
            with sqlite3.connect(db) as conn:
                state = [conn.execute(f"SELECT * FROM connectors_{t}").fetchall()
                         for t in ("connector", "channel", "qualification", "post")]
            from realtime import live_state
            stored = live_state.snapshot_get(site)
            raise AssertionError(f"{state} {stored and stored.built_at} {time.time()} "
                                 + (tmp / "worker.log").read_text()[-1500:]) from None
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert _deliveries(db) == [("sending", 1)]

        second = _worker(env, tmp / "worker2.log")
        for _ in range(2):  # evaluations by the new worker find the article posted already
            traffic.now = time.time()
            traffic.snapshot()
            app.send_task("connectors.tasks.evaluate")
        wait_until(lambda: _succeeded(tmp / "worker2.log", "connectors.tasks.evaluate") >= 2, timeout=60,
                   message="the new worker's evaluations")
        # The message the killed worker held is delivered again (acks_late), as after a restart.
        with sqlite3.connect(db) as conn:
            (delivery_id,) = conn.execute("SELECT id FROM connectors_delivery").fetchone()
        app.send_task("connectors.tasks.deliver", args=[delivery_id])
        wait_until(lambda: _succeeded(tmp / "worker2.log", "connectors.tasks.deliver") >= 1, timeout=60,
                   message="the redelivery")
        assert "'skipped'" in (tmp / "worker2.log").read_text()
        assert receiver.arrivals == ["/hook"]
        assert _deliveries(db) == [("sending", 1)]
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        if second is not None:
            _stop(second, 15)
    # The sweep, ten minutes on, records it as failed instead of sending it again.
    manage(env, "shell", "-c", "import time; from connectors import evaluation; "
                                "evaluation.deliveries_sweep(now=time.time() + evaluation.INTERRUPTED_SECS + 1)")
    assert _deliveries(db) == [("failed", 1)]
    assert receiver.arrivals == ["/hook"]
