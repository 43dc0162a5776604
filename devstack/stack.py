"""`make run`: the whole NowMetrix stack in the foreground, for development and demos.

A small supervisor rather than a Procfile runner, because it must do what a Procfile cannot:
find a Redis or start a private one (persisted, so today's numbers survive a restart), write
the instance file that every process of this installation reads (nowmetrix/instance.py:
secret, key prefix, database and Redis URLs), migrate and create the demo before the servers
start, print the credentials once every process is up, and stop everything on Ctrl-C or
SIGTERM, the Redis it started last, so the web server's final ingest flush still reaches it.

Environment: PORT (8000), HOST (127.0.0.1), DATABASE_URL, REDIS_URL (else 127.0.0.1:6379 if it
answers, else a private redis-server), NOWMETRIX_LOCAL_REDIS=1 (always start a private one),
NOWMETRIX_REDIS_PREFIX (default from the port), NOWMETRIX_DEMO_PASSWORD,
NOWMETRIX_DEMO_TRAFFIC=1 (run the traffic simulator against this server), NOWMETRIX_STATE_DIR
(default .nowmetrix/: instance files, Redis data, beat schedules, demo keys, mails). POSIX only.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import shutil
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from nowmetrix import instance
from devstack.processes import BASE_DIR, UVICORN_ARGS, Child, find_redis_server, redis_answers, start_local_redis, stop_all
from nowmetrix.redis_version import RedisTooOld, check_redis_version, redis_version

READY_TIMEOUT_SECS = 60.0
DEFAULT_PORT = instance.DEFAULT_PORT
NO_REDIS_HELP = """\
NowMetrix needs Redis 7.0 or newer, and none could be found: nothing answers on 127.0.0.1:6379
and there is no redis-server on PATH. Either:
  - install Redis (`sudo apt-get install redis-server` on Debian 12 / Ubuntu 24.04, `brew install
    redis`) and run `make run` again: it starts a private redis-server from PATH itself, as your
    user, keeping its data under the state directory;
  - or point NowMetrix at a running Redis 7: REDIS_URL=redis://host:6379/0 make run"""


class Stop(Exception):
    """Raised by the signal handler while starting up, so a long migration stops at once."""


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Config:
    """Everything the stack derives from the environment, before anything starts."""

    port: int
    host: str
    state_dir: Path
    prefix: str
    key_file: Path
    demo_traffic: bool

    @property
    def instance_file(self) -> Path:
        return instance.file_for_port(self.port, self.state_dir)

    @property
    def run_dir(self) -> Path:
        """Ready marks of this run's processes."""
        return self.state_dir / f"run-{self.port}"

    @property
    def mail_file(self) -> Path:
        return self.state_dir / f"mail-{self.port}.log"

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}"

    @classmethod
    def from_env(cls) -> Config:
        raw_port = os.environ.get("PORT") or str(DEFAULT_PORT)
        if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
            raise RuntimeError(f"PORT must be a TCP port number, got {raw_port!r}")
        port = int(raw_port)
        state_dir = instance.state_dir()
        # One instance per port can run at a time, so the port tells instances apart in a
        # shared Redis; the default instance keeps the settings' default prefix.
        prefix = os.environ.get("NOWMETRIX_REDIS_PREFIX") or ("nm1" if port == DEFAULT_PORT else f"nm1-p{port}")
        # Only key hashes are stored, so each database needs its own kept demo secret.
        database = os.environ.get("DATABASE_URL", "")
        key_name = "demo-api-key" + (f"-{hashlib.sha256(database.encode()).hexdigest()[:10]}" if database else "")
        return cls(port, os.environ.get("HOST") or "127.0.0.1", state_dir, prefix, state_dir / key_name,
                   env_flag("NOWMETRIX_DEMO_TRAFFIC"))


@dataclass
class Demo:
    output: str
    site: str
    api_key: str
    queue: str


def prepare_database(config: Config) -> Demo:
    """Migrate and create the demo, in this process (settings read the instance file just written)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nowmetrix.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from trackers import selectors
    from trackers.management.commands.create_demo import ACCOUNT_NAME, TRACKER_NAME

    # WhiteNoise serves the apps' files through the finders here, but warns at every start of a
    # process when STATIC_ROOT (collectstatic's target) does not exist: an empty one is enough.
    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)
    print("stack: migrating the database ...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    out = io.StringIO()
    options = {"password": os.environ["NOWMETRIX_DEMO_PASSWORD"]} if os.environ.get("NOWMETRIX_DEMO_PASSWORD") else {}
    call_command("create_demo", base_url=config.base_url, key_file=str(config.key_file), stdout=out, **options)
    account = selectors.account_get_by_name(name=ACCOUNT_NAME)
    tracker = selectors.tracker_list(account=account).get(name=TRACKER_NAME)
    demo = Demo(out.getvalue().strip(), tracker.public_id, config.key_file.read_text().strip(),
                settings.CELERY_TASK_DEFAULT_QUEUE)
    connections.close_all()  # the children open their own
    return demo


def children_for(config: Config, demo: Demo) -> list[Child]:
    py = sys.executable
    schedule = config.state_dir / f"celerybeat-schedule-{config.port}"
    # Celery at WARNING: at INFO it logs three lines a second (the tick received, succeeded,
    # sent), which scroll the credentials away. The tick's own summary keeps INFO.
    children = [
        Child("web", [py, "-m", "uvicorn", "nowmetrix.asgi:application", "--host", config.host, "--port",
                      str(config.port), *UVICORN_ARGS]),
        Child("worker", [py, "-m", "celery", "-A", "nowmetrix", "--quiet", "worker", "-l", "WARNING",
                         "--concurrency", "2", "-Q", demo.queue, "-n", f"nowmetrix-{config.port}@%h"]),
        Child("beat", [py, "-m", "celery", "-A", "nowmetrix", "--quiet", "beat", "-l", "WARNING",
                       "-s", str(schedule)]),
    ]
    return children


def ready_file(config: Config, child: Child) -> Path:
    return config.run_dir / f"{child.name}.ready"


def simulator_child(config: Config, demo: Demo) -> Child:
    return Child("traffic", [sys.executable, str(BASE_DIR / "manage.py"), "simulate_traffic", "--base-url",
                             config.base_url, "--site", demo.site, "--host", "localhost", "--visitors", "40",
                             "--rate", "4", "--duration", "0"])


def wait_until_ready(config: Config, children: list[Child], timeout: float = READY_TIMEOUT_SECS) -> None:
    """Until every child has run its start hook (its ready file exists: nowmetrix/startup.py)
    and the web server answers GET /nm.js with 200; raises if a child dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if dead := [c for c in children if c.exited()]:
            raise RuntimeError(f"{dead[0].name} exited during start-up")
        if all(ready_file(config, c).is_file() for c in children) and web_answers(config):
            return
        time.sleep(0.2)
    waiting = [c.name for c in children if not ready_file(config, c).is_file()] or ["web"]
    raise RuntimeError(f"{', '.join(waiting)} did not come up within {timeout:.0f} s")


def web_answers(config: Config) -> bool:
    conn = http.client.HTTPConnection(urlsplit(config.base_url).hostname, config.port, timeout=2)
    try:
        conn.request("GET", "/nm.js")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def banner(config: Config, demo: Demo, redis_url: str, redis_note: str, children: list[Child]) -> str:
    url, rule = config.base_url, "=" * 78
    database = masked(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    traffic = ("on (simulated visitors)" if config.demo_traffic
               else "off (NOWMETRIX_DEMO_TRAFFIC=1 make run, or make demo-traffic, to simulate visitors)")
    return "\n".join([
        rule,
        f" NowMetrix is running on {url}   (Ctrl-C to stop)",
        rule,
        demo.output,
        "-" * 78,
        f"Web admin:    {url}/",
        f"Django admin: {url}/django-admin/  (staff users: manage.py createsuperuser)",
        f"API docs:     {url}/docs/api",
        f"Snippet:      <script defer src=\"{url}/nm.js\" data-site=\"{demo.site}\"></script>",
        "Try the API:",
        f"  curl -H \"Authorization: Bearer {demo.api_key}\" \"{url}/v1/realtime?site={demo.site}\"",
        f"Redis:        {masked(redis_url)}  {redis_note}, key prefix {config.prefix}",
        f"Database:     {database}",
        f"Settings:     {config.instance_file}  (every process and manage.py read it)",
        f"Commands:     {manage_hint(config)}",
        f"Mails:        {config.mail_file}  (and on this console)",
        "Processes:    " + ", ".join(f"{c.name} {c.pid}" for c in children),
        f"Demo traffic: {traffic}",
        rule,
    ])


def manage_hint(config: Config) -> str:
    env = "" if config.port == DEFAULT_PORT else f"PORT={config.port} "
    if os.environ.get("NOWMETRIX_STATE_DIR"):
        env = f"NOWMETRIX_STATE_DIR={config.state_dir} " + env
    return f"{env}.venv/bin/python manage.py <command>  (e.g. create_tracker --help)"


def write_instance_file(config: Config, redis_url: str) -> None:
    """The installation's settings, for every process and for manage.py in another terminal.
    Values set in the environment are written as they are, so a later process agrees."""
    values = {
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or instance.dev_secret(config.state_dir),
        "NOWMETRIX_REDIS_PREFIX": config.prefix,
        "REDIS_URL": redis_url,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        "NOWMETRIX_MAIL_FILE": str(config.mail_file),
    }
    instance.write(config.instance_file, values, (
        f"NowMetrix instance on port {config.port}: written by `make run` at each start.\n"
        "Read by every process of this installation and by manage.py run with the same PORT\n"
        "(nowmetrix/instance.py). Variables set in the environment win over these."))


class Supervisor:
    def __init__(self):
        self.stopping = False
        self.starting = True

    def on_signal(self, signum, frame) -> None:
        self.stopping = True
        if self.starting:
            raise Stop()

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self.on_signal)
        redis_child: Child | None = None
        children: list[Child] = []
        code = 1
        try:
            config = Config.from_env()
            config.state_dir.mkdir(parents=True, exist_ok=True)
            check_port_free(config)
            redis_url, redis_child, redis_note = self.redis(config)
            write_instance_file(config, redis_url)
            # This process and every child read the file through settings, as manage.py will.
            os.environ.update({"NOWMETRIX_INSTANCE_FILE": str(config.instance_file),
                               "DJANGO_SETTINGS_MODULE": "nowmetrix.settings", "PYTHONUNBUFFERED": "1"})
            demo = prepare_database(config)
            shutil.rmtree(config.run_dir, ignore_errors=True)
            for child in children_for(config, demo):
                launch(children, child, dict(os.environ, NOWMETRIX_READY_FILE=str(ready_file(config, child))))
            wait_until_ready(config, children)
            env = dict(os.environ)
            if config.demo_traffic:
                launch(children, simulator_child(config, demo), env)
            print(banner(config, demo, redis_url, redis_note, children), flush=True)
            self.starting = False
            code = self.watch(children)
        except Stop:
            code = 0
        except RuntimeError as exc:
            print(f"stack: {exc}", file=sys.stderr, flush=True)
        finally:
            self.starting = False  # from here a signal only sets the flag: cleanup must not be cut short
            clean = self.shutdown(children, redis_child)
        return code if clean else 1

    def redis(self, config: Config) -> tuple[str, Child | None, str]:
        """The Redis to use, checked to be new enough; a private one is started when needed."""
        if url := os.environ.get("REDIS_URL"):
            if not redis_answers(url):
                raise RuntimeError(f"REDIS_URL={masked(url)} does not answer PING")
            found = (url, None, "(REDIS_URL)")
        else:
            default = "redis://127.0.0.1:6379/0"
            if not env_flag("NOWMETRIX_LOCAL_REDIS") and redis_answers(default, timeout=0.5):
                found = (default, None, "(already running)")
            else:
                found = self.private_redis(config)
        try:
            check_redis_version(redis_version(found[0]), masked(found[0]))
        except RedisTooOld as exc:
            if found[1] is not None:
                stop_all([found[1]], timeout=5)
            raise RuntimeError(str(exc)) from None
        return found

    def private_redis(self, config: Config) -> tuple[str, Child, str]:
        """A redis-server of this instance, with its append-only file in the state directory,
        on the port it had last time when free (so the instance file stays right)."""
        binary = find_redis_server()
        if binary is None:
            raise RuntimeError(NO_REDIS_HELP)
        data_dir = config.state_dir / f"redis-{config.port}"
        port_file = data_dir / "port"
        last = port_file.read_text().strip() if port_file.is_file() else ""
        url, child = start_local_redis(binary, data_dir, int(last) if last.isdigit() else None)
        port_file.write_text(f"{urlsplit(url).port}\n")
        return url, child, f"(started for this run, pid {child.pid}; data kept in {data_dir})"

    def watch(self, children: list[Child]) -> int:
        """Until a stop signal (0) or the first child that dies on its own (1)."""
        while not self.stopping:
            if dead := [c for c in children if c.exited()]:
                code = dead[0].reap()
                print(f"stack: {dead[0].name} exited with code {code}; stopping the rest", file=sys.stderr, flush=True)
                return 1
            time.sleep(0.2)
        print("stack: stopping ...", flush=True)
        return 0

    def shutdown(self, children: list[Child], redis_child: Child | None) -> bool:
        """Idempotent: the app processes first, then the Redis this run started (and no other)."""
        clean = stop_all([c for c in children if c.returncode is None]) if children else True
        if redis_child is not None and redis_child.returncode is None:
            # SIGTERM: Redis fsyncs its append-only file before it exits; the data dir stays.
            clean = stop_all([redis_child], timeout=5) and clean
        return clean


def launch(children: list[Child], child: Child, env: dict[str, str]) -> None:
    children.append(child)  # listed before it starts, so a Ctrl-C right now still stops it
    child.start(env)


def check_port_free(config: Config) -> None:
    with socket.socket(socket.AF_INET6 if ":" in config.host else socket.AF_INET) as sock:
        # As uvicorn binds: connections of a previous run in TIME_WAIT do not make the port busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((config.host, config.port))
        except OSError:
            raise RuntimeError(f"port {config.port} on {config.host} is in use: set PORT to run another instance")


def main() -> None:
    sys.exit(Supervisor().run())


if __name__ == "__main__":
    main()
