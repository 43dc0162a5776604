"""The bench run's environment: its own Redis (a private redis-server, or a key prefix on the
machine's), production settings, a throwaway database, and the processes it starts.

Everything started here is stopped here, by the process id the bench itself got back; keys
are removed by prefix at the end (never FLUSHALL: the machine's Redis may be shared)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from devstack.processes import UVICORN_ARGS

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args!r} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on port {port} after {timeout}s")


@dataclass
class Proc:
    """A process the bench started; `stop` signals only this process id."""

    name: str
    popen: subprocess.Popen
    log_path: Path
    port: int | None = None

    def stop(self, timeout: float = 20.0) -> int | None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        return self.popen.returncode

    def log_tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


@dataclass
class BenchEnv:
    quick: bool
    redis_url: str = ""
    private_redis: bool = False
    prefix: str = field(default_factory=lambda: f"nmbench-{uuid.uuid4().hex[:10]}")
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="nmbench-")))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    procs: list[Proc] = field(default_factory=list)
    python: str = PYTHON

    # --- Redis ---------------------------------------------------------------------------

    def start_redis(self, external_url: str | None) -> None:
        """A private redis-server on a free port when the binary is here (clean `INFO memory`,
        no persistence forks mid-run, nobody else's traffic); else the machine's Redis."""
        binary = shutil.which("redis-server")
        if external_url or binary is None:
            self.redis_url = external_url or os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
            return
        port = free_port()
        proc = self.spawn("redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--dir", str(self.tmp), "--maxclients", "10000"])
        wait_port(port, 10, proc.popen)
        proc.port = port
        self.redis_url = f"redis://127.0.0.1:{port}/0"
        self.private_redis = True

    # --- settings of every process ---------------------------------------------------------

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.tmp / 'bench.sqlite3'}"

    def environ(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("DJANGO_DEBUG", "NOWMETRIX_ALLOW_DEV_SECRET"):
            env.pop(name, None)
        env.update({
            "DJANGO_SETTINGS_MODULE": "nowmetrix.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "NOWMETRIX_REDIS_PREFIX": self.prefix,
            "DATABASE_URL": self.database_url,
            "NOWMETRIX_LOG_LEVEL": "WARNING",
            "NOWMETRIX_SPOOL_DIR": str(self.tmp / "spool"),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),
        })
        env.update(extra)
        return env

    def apply_to_this_process(self) -> None:
        """The bench process reads the same settings as the servers it starts."""
        os.environ.update(self.environ())

    # --- processes -------------------------------------------------------------------------

    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Proc:
        log_path = self.tmp / f"{name}-{len(self.procs)}.log"
        log = open(log_path, "wb")
        popen = subprocess.Popen(argv, cwd=ROOT, env=env or self.environ(), stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
        proc = Proc(name, popen, log_path)
        self.procs.append(proc)
        return proc

    def uvicorn(self, app: str, workers: int = 1, env: dict[str, str] | None = None, name: str = "uvicorn") -> Proc:
        """The production server configuration: uvloop, httptools, no access log, lifespan on."""
        port = free_port()
        argv = [PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                "--loop", "uvloop", "--http", "httptools", *UVICORN_ARGS,
                "--log-level", "warning", "--timeout-graceful-shutdown", "10"]
        proc = self.spawn(f"{name}-w{workers}", argv, env)
        try:
            wait_port(port, 60, proc.popen)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}\n{proc.log_tail()}") from None
        proc.port = port
        if workers > 1:  # the port opens with the first worker: let the others finish importing
            time.sleep(0.3 if self.quick else 1.0)
        return proc

    def stop(self, proc: Proc) -> int | None:
        code = proc.stop()
        if proc in self.procs:
            self.procs.remove(proc)
        return code

    def close(self) -> None:
        for proc in reversed(list(self.procs)):
            proc.stop(10)
        self.procs.clear()

    def delete_keys(self) -> int:
        """The run's keys on a shared Redis (a private server goes away with its process)."""
        if self.private_redis or not self.redis_url:
            return 0
        from nowmetrix.pytest_plugin import delete_keys

        return delete_keys(self.redis_url, self.prefix)

    def remove_tmp(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
