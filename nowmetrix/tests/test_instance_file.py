"""Every process of one installation reads its instance file (nowmetrix/instance.py), which
`make run` writes: `manage.py` in another terminal, with only PORT set, gets the same secret,
key prefix, database and Redis; the environment still wins; a production start without a
secret and without a file still refuses, and one with DJANGO_SECRET_KEY works as before."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nowmetrix import instance
from devstack.processes import BASE_DIR
from nowmetrix.settings import DEV_SECRET_KEY

SHOW = ("from django.conf import settings as s; import json; print(json.dumps({'secret': s.SECRET_KEY, "
        "'prefix': s.NOWMETRIX_REDIS_PREFIX, 'redis': s.REDIS_URL, 'db': str(s.DATABASES['default']['NAME']), "
        "'mail': s.EMAIL_BACKEND}))")
OWN = ("DJANGO_", "NOWMETRIX_", "REDIS_URL", "DATABASE_URL", "PORT", "CELERY_")


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any NowMetrix setting, as a fresh terminal has it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN)}
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=60)


def settings_seen(env: dict[str, str]) -> dict[str, str]:
    done = manage(env, "shell", "-c", SHOW)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_file(state: Path, port: int, tmp_path: Path, **values: str) -> dict[str, str]:
    values = {"DJANGO_SECRET_KEY": f"secret-of-{port}-" + "x" * 40, "NOWMETRIX_REDIS_PREFIX": f"nm1-p{port}",
              "REDIS_URL": f"redis://127.0.0.1:{port + 1}/0", "DATABASE_URL": f"sqlite:///{tmp_path / f'{port}.db'}",
              "NOWMETRIX_MAIL_FILE": str(state / f"mail-{port}.log"), **values}
    instance.write(instance.file_for_port(port, state), values, "test")
    return values


@pytest.mark.slow
def test_manage_py_with_only_port_set_reads_that_instances_file(tmp_path):
    state = tmp_path / "state"
    write_file(state, 8000, tmp_path)
    values = write_file(state, 8123, tmp_path)
    seen = settings_seen(clean_env(PORT="8123", NOWMETRIX_STATE_DIR=str(state)))
    assert seen == {"secret": values["DJANGO_SECRET_KEY"], "prefix": "nm1-p8123", "redis": values["REDIS_URL"],
                    "db": str(tmp_path / "8123.db"), "mail": "nowmetrix.mail.ConsoleAndFileBackend"}


@pytest.mark.slow
def test_without_port_the_default_ports_file_is_read(tmp_path):
    state = tmp_path / "state"
    write_file(state, 8000, tmp_path, NOWMETRIX_REDIS_PREFIX="nm1")
    write_file(state, 8123, tmp_path)
    assert settings_seen(clean_env(NOWMETRIX_STATE_DIR=str(state)))["redis"] == "redis://127.0.0.1:8001/0"


@pytest.mark.slow
def test_the_environment_wins_over_the_instance_file(tmp_path):
    state = tmp_path / "state"
    write_file(state, 8123, tmp_path)
    seen = settings_seen(clean_env(PORT="8123", NOWMETRIX_STATE_DIR=str(state), NOWMETRIX_REDIS_PREFIX="mine",
                                   REDIS_URL="redis://127.0.0.1:6390/2"))
    assert (seen["prefix"], seen["redis"]) == ("mine", "redis://127.0.0.1:6390/2")


@pytest.mark.slow
def test_without_a_secret_or_a_file_a_start_refuses_and_says_what_to_do(tmp_path):
    done = manage(clean_env(NOWMETRIX_STATE_DIR=str(tmp_path)), "check")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in done.stderr
    assert str(tmp_path / "instance-8000.env") in done.stderr and "make run" in done.stderr


@pytest.mark.slow
def test_a_production_start_with_its_own_secret_needs_no_file(tmp_path):
    env = clean_env(NOWMETRIX_STATE_DIR=str(tmp_path), DJANGO_SECRET_KEY="p" * 50,
                    DATABASE_URL=f"sqlite:///{tmp_path / 'prod.db'}")
    seen = settings_seen(env)
    assert (seen["secret"], seen["prefix"]) == ("p" * 50, "nm1")
    assert seen["mail"] == "django.core.mail.backends.console.EmailBackend"


def test_the_development_secret_is_random_kept_and_private(tmp_path):
    first = instance.dev_secret(tmp_path / "a")
    assert instance.dev_secret(tmp_path / "a") == first
    assert first != DEV_SECRET_KEY and first != instance.dev_secret(tmp_path / "b")
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "a" / instance.DEV_SECRET_FILE).stat().st_mode) == 0o600


def test_values_with_quotes_and_backslashes_read_back_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "instance-9000.env"
    tricky = 'postgres://u:p"a\\ss#w\'rd@h/db'
    instance.write(path, {"DATABASE_URL": tricky}, "a header\nof two lines")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # setenv first, so that monkeypatch restores the variable load() sets (an unset one is not
    # recorded by delenv): left behind, the tricky URL broke later tests' manage.py subprocesses.
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("NOWMETRIX_INSTANCE_FILE", str(path))
    assert instance.load() == path
    assert os.environ["DATABASE_URL"] == tricky


def test_an_empty_instance_file_setting_reads_no_file(tmp_path, monkeypatch):
    write_file(tmp_path, 8000, tmp_path)
    monkeypatch.setenv("NOWMETRIX_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("NOWMETRIX_INSTANCE_FILE", "")
    assert instance.load() is None


@pytest.mark.slow
def test_without_the_ports_file_the_refusal_names_the_instance_files_there_are(tmp_path):
    write_file(tmp_path, 8123, tmp_path)
    done = manage(clean_env(NOWMETRIX_STATE_DIR=str(tmp_path)), "check")
    assert done.returncode != 0
    assert "Found: instance-8123.env (PORT=8123): set that PORT." in done.stderr
