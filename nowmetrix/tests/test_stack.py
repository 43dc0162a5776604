"""`python -m devstack.stack` (`make run`) as a user runs it: it starts a private Redis, the web
server, a worker and beat, serves the snippet and the demo key, and stops every process it
started on SIGTERM, or with an error when one of them dies; a second instance on another port
and database can share that Redis; a second run on the same database finds its demo again."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from devstack.processes import BASE_DIR, free_port, redis_answers
from realtime.tests.servers import wait_until

pytestmark = pytest.mark.slow
STOP_SECS = 15


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone (zombies count as gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in ("Z", "X") else (fields[0], int(fields[1]))


def _descendants(root: int) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _proc_stat(int(entry.name))):
            parents[int(entry.name)] = stat[1]
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@dataclass
class Stack:
    process: subprocess.Popen
    log: Path
    port: int
    offset: int = 0  # where this run's output starts in a log shared with earlier runs

    def output(self) -> str:
        return self.log.read_bytes()[self.offset:].decode(errors="replace")

    def line(self, label: str) -> str:
        match = re.search(rf"^\s*{label}:\s+(\S+)", self.output(), re.MULTILINE)
        assert match, f"no {label!r} line in the banner:\n{self.output()[-3000:]}"
        return match.group(1)

    def config_key(self, site: str) -> str:
        """The key of a tracker's ingest settings in this stack's Redis, named by the key schema
        under the prefix the banner reports."""
        from django.test import override_settings

        from realtime import keys

        prefix = re.search(r"^Redis:.*, key prefix (\S+)", self.output(), re.MULTILINE)
        assert prefix, f"no key prefix in the banner:\n{self.output()[-3000:]}"
        with override_settings(NOWMETRIX_REDIS_PREFIX=prefix[1]):
            return keys.tracker_config(site)

    def get(self, path: str, key: str = "") -> int:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", path, headers={"Authorization": f"Bearer {key}"} if key else {})
            return conn.getresponse().status
        finally:
            conn.close()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(STOP_SECS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"the stack did not stop within {STOP_SECS} s:\n{self.output()[-3000:]}")


def start_stack(tmp_path: Path, name: str, **env: str) -> Stack:
    state = tmp_path / name
    state.mkdir(exist_ok=True)
    port = int(env.get("PORT") or free_port())
    child_env = {k: v for k, v in os.environ.items() if k not in ("NOWMETRIX_REDIS_PREFIX", "REDIS_URL")}
    child_env.update({"PORT": str(port), "NOWMETRIX_STATE_DIR": str(state), **env})
    log = state / f"stack-{port}.log"
    offset = log.stat().st_size if log.exists() else 0
    with open(log, "ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "devstack.stack"], cwd=BASE_DIR, env=child_env,
                                   stdout=out, stderr=subprocess.STDOUT)
    stack = Stack(process, log, port, offset)

    def running() -> bool:
        assert process.poll() is None, f"the stack exited with {process.returncode}:\n{stack.output()[-3000:]}"
        return "NowMetrix is running" in stack.output()

    wait_until(running, timeout=90, interval=0.2, message=f"the stack on port {port}")
    return stack


def _serves_demo(stack: Stack) -> str:
    key, site = stack.line("API key"), stack.line("Tracker ID")
    assert stack.get("/nm.js") == 200
    assert stack.get("/api/me", key) == 200
    assert stack.get("/api/me", "nm_" + "x" * 43) == 401
    return site


def test_two_stacks_share_a_private_redis_and_stop_every_process_they_started(tmp_path):
    first = start_stack(tmp_path, "first", DATABASE_URL=f"sqlite:///{tmp_path / 'first.sqlite3'}",
                        NOWMETRIX_LOCAL_REDIS="1")
    second = None
    try:
        first_site = _serves_demo(first)
        redis_url = first.line("Redis")
        assert redis_url.startswith("redis://127.0.0.1:") and not redis_url.endswith(":6379/0")
        first_processes = _descendants(first.process.pid)
        assert len(first_processes) >= 4  # redis, web, worker (and its pool), beat

        second = start_stack(tmp_path, "second", DATABASE_URL=f"sqlite:///{tmp_path / 'second.sqlite3'}",
                             REDIS_URL=redis_url)
        second_site = _serves_demo(second)
        second_processes = _descendants(second.process.pid)
        # Each instance keeps its keys under a prefix derived from its port.
        shared = redis.Redis.from_url(redis_url)
        assert first.config_key(first_site).startswith(f"nm1-p{first.port}:")
        assert second.config_key(second_site).startswith(f"nm1-p{second.port}:")
        assert shared.exists(first.config_key(first_site))
        assert shared.exists(second.config_key(second_site))
        shared.close()

        assert second.stop() == 0
        wait_until(lambda: not {p for p in second_processes if _proc_stat(p)}, 2, message="second's processes")
        assert redis_answers(redis_url), "the second stack stopped a Redis it had not started"
        assert first.get("/api/me", first.line("API key")) == 200

        started = time.monotonic()
        assert first.stop() == 0
        assert time.monotonic() - started < STOP_SECS
        wait_until(lambda: not {p for p in first_processes if _proc_stat(p)}, 2, message="first's processes")
        assert not redis_answers(redis_url)
    finally:
        for stack in (second, first):
            if stack is not None and stack.process.poll() is None:
                stack.process.kill()


def test_a_second_run_on_the_same_database_finds_its_demo_again(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "NOWMETRIX_LOCAL_REDIS": "1"}
    stack = start_stack(tmp_path, "state", **env)
    try:
        site, key = _serves_demo(stack), stack.line("API key")
        assert stack.stop() == 0
        stack = start_stack(tmp_path, "state", **env)
        assert (_serves_demo(stack), stack.line("API key")) == (site, key)
        assert stack.stop() == 0
    finally:
        if stack.process.poll() is None:
            stack.process.kill()


def test_a_child_that_dies_stops_the_whole_stack_with_an_error(tmp_path):
    stack = start_stack(tmp_path, "state", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                        NOWMETRIX_LOCAL_REDIS="1")
    try:
        processes = _descendants(stack.process.pid)
        web = int(re.search(r"^Processes:\s+web (\d+)", stack.output(), re.MULTILINE).group(1))
        os.kill(web, signal.SIGKILL)
        assert stack.process.wait(STOP_SECS) == 1
        assert "web exited" in stack.output()
        wait_until(lambda: not {p for p in processes if _proc_stat(p)}, 2, message="the stack's processes")
    finally:
        if stack.process.poll() is None:
            stack.process.kill()


def _pixel(port: int, site: str, path: str, origin: str = "https://planet.example") -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", f"/pixel.gif?s={site}&e=pv&u={origin}{path}",
                     headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                            "Chrome/120.0 Safari/537.36"})
        return conn.getresponse().status
    finally:
        conn.close()


def _realtime(stack: Stack, site: str, key: str) -> dict:
    import http.client
    import json

    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=5)
    try:
        conn.request("GET", f"/v1/realtime?site={site}",
                     headers={"Authorization": f"Bearer {key}", "Cache-Control": "no-cache"})
        response = conn.getresponse()
        return json.loads(response.read()) if response.status == 200 else {}
    finally:
        conn.close()


def test_commands_beside_a_running_stack_reach_its_instance_and_today_survives_a_restart(tmp_path):
    from nowmetrix.tests.test_instance_file import clean_env, manage

    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "NOWMETRIX_LOCAL_REDIS": "1"}
    stack = start_stack(tmp_path, "state", **env)
    try:
        state = tmp_path / "state"
        # The credentials come once every process has run its start hook.
        assert {p.name for p in (state / f"run-{stack.port}").iterdir()} == {"web.ready", "worker.ready", "beat.ready"}
        # A new terminal: only PORT (and this test's state directory) set.
        terminal = clean_env(PORT=str(stack.port), NOWMETRIX_STATE_DIR=str(state))
        done = manage(terminal, "create_account", "--name", "Daily Planet", "--owner-email", "lois@planet.example",
                      "--password", "Kal-El-1938-Metropolis")
        assert done.returncode == 0, done.stderr
        done = manage(terminal, "create_tracker", "--account", "Daily Planet", "--name", "Planet",
                      "--host", "planet.example")
        assert done.returncode == 0, done.stderr
        site = done.stdout.split()[-1]
        done = manage(terminal, "create_api_key", "--account", "Daily Planet")
        assert done.returncode == 0, done.stderr
        key = done.stdout.split()[-1]

        assert _pixel(stack.port, site, "/news") == 200
        wait_until(lambda: _realtime(stack, site, key).get("total_pageviews_today") == 1, 15, 0.2,
                   message="the first hit in /v1/realtime")

        # The console stays quiet: no Celery line for each tick.
        after_banner = stack.output().split("NowMetrix is running", 1)[1]
        assert "realtime.tasks.tick" not in after_banner

        done = manage(terminal, "sendtestemail", "perry@planet.example")
        assert done.returncode == 0, done.stderr
        mail_file = stack.line("Mails")
        assert "To: perry@planet.example" in Path(mail_file).read_text()

        assert stack.stop() == 0
        assert (state / f"redis-{stack.port}" / "appendonlydir").is_dir()
        stack = start_stack(tmp_path, "state", PORT=str(stack.port), **env)
        assert _realtime(stack, site, key)["total_pageviews_today"] == 1
        assert stack.stop() == 0
    finally:
        if stack.process.poll() is None:
            stack.process.kill()


def test_a_redis_older_than_7_stops_the_stack_with_a_clear_message(tmp_path):
    from nowmetrix.tests.old_redis import VERSION, old_redis

    with old_redis() as url:
        state = tmp_path / "state"
        state.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("NOWMETRIX_REDIS_PREFIX",)}
        env.update({"PORT": str(free_port()), "NOWMETRIX_STATE_DIR": str(state), "REDIS_URL": url,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
        done = subprocess.run([sys.executable, "-m", "devstack.stack"], cwd=BASE_DIR, env=env, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 1
    assert f"Redis {VERSION} at {url} is too old: NowMetrix needs Redis 7.0 or newer" in done.stderr


def test_after_its_redis_comes_back_empty_the_stack_republishes_and_counts_again(tmp_path):
    from realtime.tests.servers import start_redis_server

    stack = start_stack(tmp_path, "state", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                        NOWMETRIX_LOCAL_REDIS="1")
    stop_redis = None
    try:
        site, key, url = stack.line("Tracker ID"), stack.line("API key"), stack.line("Redis")
        redis_pid = int(re.search(r"^Redis:.*\(started for this run, pid (\d+);", stack.output(), re.MULTILINE)[1])
        config_key = stack.config_key(site)
        assert redis.Redis.from_url(url).exists(config_key)

        os.kill(redis_pid, signal.SIGKILL)  # the stack's own Redis, lost with its data
        wait_until(lambda: not redis_answers(url, 0.2), 5, message="the stack's Redis to go")
        back_url, stop_redis = start_redis_server(port=int(url.rsplit(":", 1)[1].split("/")[0]))
        assert back_url == url

        fresh = redis.Redis.from_url(url)
        wait_until(lambda: fresh.exists(config_key), 30, 0.1, message="the tracker's settings republished")
        fresh.close()
        assert _pixel(stack.port, site, "/", origin="http://localhost") == 200  # a host of the demo tracker
        wait_until(lambda: _realtime(stack, site, key).get("total_pageviews_today") == 1, 30, 0.2,
                   message="the hit counted after the empty restart")
        assert stack.stop() == 0
    finally:
        if stack.process.poll() is None:
            stack.process.kill()
        if stop_redis is not None:
            stop_redis()
