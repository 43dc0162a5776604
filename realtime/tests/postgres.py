"""A private PostgreSQL cluster for tests that stop the database: `initdb` in a temporary
directory, a free port on 127.0.0.1, trust authentication, no durability (fsync off).

The machine's shared PostgreSQL is never touched: this helper starts and stops only the
postmaster of its own data directory. PostgreSQL refuses to run as root, so under root the
cluster belongs to the `postgres` system user (or `nobody`) and runs through `runuser`."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from devstack.processes import free_port

_SEARCH = ["/usr/local/bin", "/usr/local/pgsql/bin", *sorted(map(str, Path("/usr/lib/postgresql").glob("*/bin")),
                                                              reverse=True)]


def _binary(name: str) -> str:
    found = shutil.which(name) or next((f"{d}/{name}" for d in _SEARCH if os.access(f"{d}/{name}", os.X_OK)), None)
    if found is None:
        raise AssertionError(f"{name} is not installed (apt-get install postgresql)")
    return found


def _run_as() -> tuple[list[str], pwd.struct_passwd | None]:
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], user
    raise AssertionError("running as root and neither a postgres nor a nobody user exists")


@dataclass
class PrivatePostgres:
    port: int
    base: Path
    prefix: list[str]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, _binary("pg_ctl"), "-D", str(self.base / "data"), *args],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-l", str(self.base / "server.log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        """Stop this cluster's postmaster at once (clients see their connections drop)."""
        if (self.base / "data" / "postmaster.pid").exists():
            self._ctl("-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def start_private_postgres() -> PrivatePostgres:
    prefix, user = _run_as()
    base = Path(tempfile.mkdtemp(prefix="nm-pg-"))
    if user is not None:
        os.chown(base, user.pw_uid, user.pw_gid)
    result = subprocess.run([*prefix, _binary("initdb"), "-D", str(base / "data"), "-U", "postgres", "--auth=trust",
                             "-E", "UTF8", "--no-sync"], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        raise AssertionError(result.stdout + result.stderr)
    cluster = PrivatePostgres(free_port(), base, prefix)
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return cluster
