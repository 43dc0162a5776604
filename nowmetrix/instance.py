"""The instance file: one installation's generated settings, shared by every process.

`make run` (devstack.stack) writes `<state dir>/instance-<PORT>.env` before anything starts:
the development secret, the Redis key prefix, and the database and Redis URLs in use,
including a private Redis it started. `nowmetrix/settings.py` loads it in every process
(uvicorn, the Celery worker and beat, `manage.py` in another terminal), so they all agree on
one configuration; a variable set in the environment still wins over the file.

Which file a process reads: `NOWMETRIX_INSTANCE_FILE` when set (empty: none), else the file of
`PORT` (8000 when unset) in `NOWMETRIX_STATE_DIR` (`.nowmetrix/` in the checkout). A
production deployment sets DJANGO_SECRET_KEY and the URLs itself and has no such file.

This module must not import Django: settings import it before Django is configured.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dotenv import dotenv_values

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 8000
DEV_SECRET_FILE = "dev-secret-key"


def state_dir() -> Path:
    return Path(os.environ.get("NOWMETRIX_STATE_DIR") or BASE_DIR / ".nowmetrix").resolve()


def file_for_port(port: int, directory: Path | None = None) -> Path:
    return (directory or state_dir()) / f"instance-{port}.env"


def current_file() -> Path | None:
    """The instance file this process reads (which may not exist), or None when disabled."""
    if "NOWMETRIX_INSTANCE_FILE" in os.environ:
        chosen = os.environ["NOWMETRIX_INSTANCE_FILE"].strip()
        return Path(chosen) if chosen else None
    raw_port = os.environ.get("PORT") or str(DEFAULT_PORT)
    return file_for_port(int(raw_port)) if raw_port.isdigit() else None


def others() -> list[Path]:
    """Instance files in the state directory, for a message when this process has none."""
    directory = state_dir()
    return sorted(directory.glob("instance-*.env")) if directory.is_dir() else []


def load() -> Path | None:
    """Put the instance file's values into `os.environ` where the environment has none, so
    every reader (settings, Celery's app module) and every child process sees them. Returns
    the file loaded, or None when there is none."""
    path = current_file()
    if path is None or not path.is_file():
        return None
    for name, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(name, value)
    return path


def dev_secret(directory: Path) -> str:
    """The development secret of a state directory: random, made once, then kept (sessions
    and signed links survive restarts; every instance of the checkout shares it)."""
    path = directory / DEV_SECRET_FILE
    if not path.is_file():
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


def _quoted(value: str) -> str:
    # Double quotes with backslash escapes, which python-dotenv decodes back.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(path: Path, values: dict[str, str], header: str) -> None:
    """Replace the file atomically, readable by its owner only (it holds the secret and URLs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"{name}={_quoted(value)}" for name, value in values.items()]
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
