"""On the embedded SQLite, two processes writing at once (`make run` and a `manage.py` command
beside it) queue for the write lock instead of failing with "database is locked": each real
`manage.py` process creates trackers in a loop (read, then write, in one transaction), both
start together, and every tracker is stored."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from realtime.tests.servers import BASE_DIR, manage, wait_until

pytestmark = pytest.mark.slow

PER_PROCESS = 50
SETUP = """
from trackers import services
owner, _ = services.user_get_or_create(email="lois@planet.example", password="correct horse battery staple")
services.account_create(name="Daily Planet", owner=owner)
"""
# Both writers wait for the start file, so that their loops overlap.
WRITER = """
import os, sys, time
from trackers import services
from trackers.models import Account
account = Account.objects.get()
name, start = os.environ["WRITER_NAME"], os.environ["WRITER_START"]
open(f"{start}.{name}", "w").close()  # ready
while not os.path.exists(start):
    time.sleep(0.01)
for i in range(%d):
    services.tracker_create(account=account, name=f"{name} {i}", hosts=["planet.example"])
print("wrote", name)
""" % PER_PROCESS
COUNT = "from trackers.models import Tracker; print('trackers=%d' % Tracker.objects.count())"


def test_two_processes_writing_to_sqlite_at_once_both_succeed():
    tmp = Path(tempfile.mkdtemp(prefix="nm-sqlite-writers-"))
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "NOWMETRIX_DB_CONN_MAX_AGE": "0"}
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SETUP)
    start = tmp / "start"
    writers = [subprocess.Popen([sys.executable, "manage.py", "shell", "-c", WRITER], cwd=BASE_DIR,
                                env={**os.environ, **env, "WRITER_NAME": name, "WRITER_START": str(start)},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for name in ("web", "command")]
    wait_until(lambda: all(Path(f"{start}.{name}").exists() for name in ("web", "command")), 120,
               message="both writers loaded")
    start.touch()
    outputs = [writer.communicate(timeout=300)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], "\n".join(o[-2000:] for o in outputs)
    assert "database is locked" not in "".join(outputs)
    assert f"trackers={2 * PER_PROCESS}" in manage(env, "shell", "-c", COUNT)
