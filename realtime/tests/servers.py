"""Real servers as subprocesses for end-to-end tests: the ASGI app under uvicorn, a private
redis-server for fault tests, and a bounded poll to wait on them.

Why subprocesses: the behaviour under test (ingest batching, the lifespan flush, keep-alive,
X-Forwarded-For from loopback) only exists in a real server; an in-process ASGI client would
skip it. Each helper stops exactly the process it started, never anything found by name.
Their output goes to a log file whose tail is shown when start-up fails.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from devstack.processes import UVICORN_ARGS, find_redis_server, free_port, redis_answers

BASE_DIR = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float = 10.0, interval: float = 0.05, message: str = "") -> T:
    """Poll `check` until it returns something truthy (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message or check}")
        time.sleep(interval)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen, timeout: float) -> int:
    """SIGTERM, then SIGKILL after `timeout`; returns the exit code (negative: killed by a signal)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


@dataclass
class Server:
    """A running uvicorn: `url` to talk to it, `stop()` to end it (idempotent)."""

    url: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def stop(self, timeout: float = 10.0) -> int:
        return _stop(self.process, timeout)

    def log(self) -> str:
        return _tail(self.log_path, 200)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_uvicorn(env: dict[str, str] | None = None, *, app: str = "nowmetrix.asgi:application",
                  ready_path: str = "/nm.js", timeout: float = 30.0, log_dir: Path | None = None) -> Server:
    """Run `app` under uvicorn on a free port of 127.0.0.1 and wait until `ready_path` answers 200.

    The environment is this process's (so the test run's NOWMETRIX_REDIS_PREFIX, REDIS_URL and
    secret-key switch carry over) updated with `env`; a value of None removes a variable.
    """
    port = free_port()
    child_env = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            child_env.pop(name, None)
        else:
            child_env[name] = value
    child_env.setdefault("DJANGO_SETTINGS_MODULE", "nowmetrix.settings")
    log_path = Path(tempfile.mkstemp(prefix=f"uvicorn-{port}-", suffix=".log", dir=log_dir)[1])
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), *UVICORN_ARGS],
            cwd=BASE_DIR, env=child_env, stdout=log, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, log_path)

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"uvicorn exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            return server.get(ready_path)[0] == 200
        except OSError:
            return False

    try:
        wait_until(ready, timeout, 0.1, f"uvicorn on port {port}")
    except BaseException:
        server.stop()
        raise
    return server


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    """Run `manage.py` with `env` added to this process's environment; its output. A failure
    fails the test with the command's output."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextmanager
def app_with_setup(setup: str, *, name: str = "app") -> Iterator[tuple[Server, str, dict[str, str]]]:
    """The real app under uvicorn on a migrated SQLite file of its own, after `setup` ran in
    `manage.py shell`. Yields the server, what `setup` printed (the ids it made) and the
    environment, for more `manage` calls; stops the server on leaving."""
    tmp = Path(tempfile.mkdtemp(prefix=f"nm-{name}-"))
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}"}
    manage(env, "migrate", "--noinput")
    out = manage(env, "shell", "-c", setup)
    with start_uvicorn(env) as server:
        yield server, out, env


@dataclass
class RedisServer:
    """A private redis-server: `stop()` ends it (idempotent), `pause()`/`resume()` hang it with
    SIGSTOP/SIGCONT, `restart()` brings it back on the same port (with its data when it was
    started with `persist=True`, empty otherwise)."""

    url: str
    port: int
    process: subprocess.Popen
    data_dir: str
    persist: bool

    def stop(self) -> None:
        if self.process.poll() is None and self.process.returncode is None:
            self.resume()
        _stop(self.process, 5.0)
        if not self.persist:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def restart(self, timeout: float = 10.0) -> RedisServer:
        """In place, so that whoever holds this object (a fixture's cleanup) stops the new
        process, not the one already stopped; returns itself."""
        self.stop()
        fresh = start_redis(timeout, port=self.port, persist=self.persist,
                            data_dir=self.data_dir if self.persist else None)
        self.process, self.data_dir = fresh.process, fresh.data_dir
        return self

    def discard(self) -> None:
        """Stop it and remove its data, whatever `persist` says."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_redis(timeout: float = 10.0, port: int | None = None, *, persist: bool = False,
                data_dir: str | None = None) -> RedisServer:
    """A private redis-server on a free port (or `port`). With `persist`, an append-only file
    (fsync always) in `data_dir` keeps its data across `restart()`. Fails the test when no
    redis-server can be found."""
    binary = find_redis_server(install=False)
    if binary is None:
        raise AssertionError("redis-server is not installed (apt-get install redis-server)")
    port = port or free_port()
    data_dir = data_dir or tempfile.mkdtemp(prefix=f"redis-{port}-")
    durability = ["--appendonly", "yes", "--appendfsync", "always"] if persist else ["--appendonly", "no"]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", *durability, "--dir", data_dir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    server = RedisServer(f"redis://127.0.0.1:{port}/0", port, process, data_dir, persist)

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"redis-server exited with {process.returncode}")
        return redis_answers(server.url, 0.5)

    try:
        wait_until(ready, timeout, 0.05, f"redis-server on port {port}")
    except BaseException:
        server.discard()
        raise
    return server


def start_redis_server(timeout: float = 10.0, port: int | None = None) -> tuple[str, Callable[[], None]]:
    """A private redis-server on a free port (or `port`, to bring one back where it was), no
    persistence. Returns its URL and a function that stops that process only (idempotent)."""
    server = start_redis(timeout, port)
    return server.url, server.stop


@dataclass
class Worker:
    """A running Celery worker with embedded beat: `stop()` ends it (idempotent), `kill()` kills
    it. `-B` runs beat in a child process, so both signal the worker's own process group: a
    SIGKILL of the worker alone would leave its beat running, orphaned."""

    process: subprocess.Popen
    log_path: Path

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait()
        self._signal_group(signal.SIGKILL)  # a beat child that outlived its worker
        return self.process.returncode

    def kill(self) -> None:
        self._signal_group(signal.SIGKILL)
        self.process.wait()

    def log(self) -> str:
        return _tail(self.log_path, 200)


def start_celery_worker(env: dict[str, str] | None = None, *, beat: bool = True, args: tuple[str, ...] = ()) -> Worker:
    """A real Celery worker with beat (`-B`) on the test run's Redis prefix: the tick runs every
    second in it, exactly as under `make run`. `beat=False`: a worker only (an installation runs
    one beat for K workers); `args`: more command-line options (a node name, ...)."""
    # Unbuffered: a test reads the log while the worker runs; block-buffered, it stays empty
    # until some kilobytes of output or the exit.
    child_env = dict(os.environ, DJANGO_SETTINGS_MODULE="nowmetrix.settings", PYTHONUNBUFFERED="1", **(env or {}))
    workdir = Path(tempfile.mkdtemp(prefix="celery-"))
    log_path = workdir / "worker.log"
    embedded_beat = ["-B", "-s", str(workdir / "beat-schedule")] if beat else []
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "nowmetrix", "worker", *embedded_beat,
             "--pool", "solo", "-l", "INFO", *args],
            cwd=BASE_DIR, env=child_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    return Worker(process, log_path)
