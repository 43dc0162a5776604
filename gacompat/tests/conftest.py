"""The GA-compatible APIs tested as clients use them: the real app under uvicorn in a subprocess
(realtime/tests/servers.py), Google's own Python client, known traffic driven through the real
ingest pipeline.

The server shares the test run's Redis key prefix (set by nowmetrix/pytest_plugin.py) and has a
throwaway SQLite database of its own, seeded once per session with a pool of trackers and keys
(so this works the same whether the test process itself uses SQLite or PostgreSQL). Each test
takes fresh trackers from the pool: no test sees another's traffic."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POOL_SIZE = 60
HOST = "news.example"

SEED = r"""
import json
import django
django.setup()
from trackers import services
from trackers.models import Scope

pool = int(__import__("sys").argv[1])
admin, _ = services.user_get_or_create(email="ga@news.example", password="correct horse battery staple")
account = services.account_create(name="GA News", owner=admin, timezone_name="Europe/Zurich")
trackers = [services.tracker_create(account=account, name=f"News site {i}", hosts=["news.example"])
            for i in range(pool)]
full = services.api_key_issue(account=account, name="full", created_by=admin, scope=Scope.FULL)[1]
read = services.api_key_issue(account=account, name="read", created_by=admin, scope=Scope.READ_ONLY)[1]
only_first = services.api_key_issue(account=account, name="first", created_by=admin, trackers=[trackers[0]])[1]
revoked_key, revoked = services.api_key_issue(account=account, name="revoked", created_by=admin)
services.api_key_revoke(api_key=revoked_key)
other, _ = services.user_get_or_create(email="jonah@bugle.example", password="correct horse battery staple")
bugle = services.account_create(name="Daily Bugle", owner=other)
bugle_tracker = services.tracker_create(account=bugle, name="Bugle", hosts=["bugle.example"])
outsider = services.api_key_issue(account=bugle, name="bugle", created_by=other)[1]
print(json.dumps({
    "account_id": account.pk,
    "trackers": [{"public_id": t.public_id, "view_id": t.pk, "name": t.name} for t in trackers],
    "keys": {"full": full, "read": read, "only_first": only_first, "revoked": revoked, "outsider": outsider},
    "bugle_view_id": bugle_tracker.pk,
    "bugle_public_id": bugle_tracker.public_id,
}))
"""


def start_server(env: dict[str, str], log_dir: Path):
    """The app under uvicorn (realtime/tests/servers.py), with the GA tests' environment."""
    from realtime.tests.servers import start_uvicorn

    return start_uvicorn(env, log_dir=log_dir)


@pytest.fixture(scope="session")
def ga_world(tmp_path_factory):
    """Seeded database and the env the servers run with."""
    tmp = tmp_path_factory.mktemp("gacompat")
    env = {
        "DJANGO_SETTINGS_MODULE": "nowmetrix.settings",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "NOWMETRIX_ALLOW_DEV_SECRET": "1",
        "NOWMETRIX_GA_TABLE_CACHE_SECS": "0",
        # Every test request comes from one address: per-user limits only on the quota server.
        "NOWMETRIX_GA_V3_USER_REQUESTS_PER_100S": "1000000",
        "NOWMETRIX_GA4_USER_REQUESTS_PER_MIN": "1000000",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }
    child_env = {**os.environ, **env}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=child_env, check=True)
    seeded = subprocess.run([sys.executable, "-c", SEED, str(POOL_SIZE)], cwd=ROOT, env=child_env, check=True,
                            capture_output=True, text=True)
    world = json.loads(seeded.stdout.strip().splitlines()[-1])
    world["env"], world["tmp"] = env, tmp
    world["pool"] = itertools.count(1)  # tracker 0 is reserved for the key limited to it
    return world


@pytest.fixture(scope="session")
def ga_server(ga_world):
    server = start_server(ga_world["env"], ga_world["tmp"])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ga_quota_server(ga_world):
    """A second server with tiny quotas, to reach them."""
    env = dict(ga_world["env"], NOWMETRIX_GA_V3_VIEW_REQUESTS_PER_DAY="4", NOWMETRIX_GA_V3_USER_REQUESTS_PER_100S="3",
               NOWMETRIX_GA4_TOKENS_PER_HOUR="3", NOWMETRIX_GA4_USER_REQUESTS_PER_MIN="1000")
    server = start_server(env, ga_world["tmp"])
    yield server
    server.stop()


@dataclass
class Site:
    public_id: str
    view_id: int
    name: str

    @property
    def ids(self) -> str:
        return f"ga:{self.view_id}"

    @property
    def property(self) -> str:
        return f"properties/{self.view_id}"


def take_site(world) -> Site:
    index = next(world["pool"])
    if index >= len(world["trackers"]):
        raise RuntimeError("tracker pool exhausted: raise POOL_SIZE")
    return Site(**world["trackers"][index])


@pytest.fixture(scope="module")
def site(ga_world) -> Site:
    """A tracker without traffic, shared by a module's tests (they only read it)."""
    return take_site(ga_world)


@pytest.fixture(scope="session")
def keys(ga_world) -> dict[str, str]:
    return ga_world["keys"]


# --- known traffic ---------------------------------------------------------------------------

IP_US, IP_CH, IP_DE, IP_AU, IP_GB = "8.8.8.8", "130.59.31.80", "141.1.1.1", "1.1.1.1", "81.2.69.142"


def steady_now() -> float:
    """The current time, at least 5 s into a minute and at most 40 s: minutesAgo values stay
    what the test expects while it runs (the server's clock is the real one)."""
    second = time.time() % 60
    if second < 5:
        time.sleep(5 - second)
    elif second > 40:
        time.sleep(65 - second)
    return time.time()


@dataclass
class Known:
    """The scenario's site and the time it was sent at.

    Active (5-minute window):                                  pageviews (minutesAgo), events
    A  US desktop Chrome, direct, NEW        /a "Alpha"        pv 02, heartbeat just now
    B  CH iPhone, google.com search, RETURNING  /b "Beta"      pv 00
    C  DE desktop Chrome, t.co social, NEW   /b "Beta"         pv 01; events video/play/intro, video/pause 00
    D  AU iPad, utm email newsletter (term "breaking news"), NEW  /c "Gamma, the third"  pv 00
    Not active any more:
    E  GB desktop Chrome, blog.example.org referral, NEW  /a   pv 07
    """

    site: Site
    now: float


def send_known(site: Site) -> Known:
    from realtime.tests.traffic import DESKTOP_CHROME, IPAD, IPHONE, Traffic

    now = steady_now()
    t = Traffic(site.public_id, HOST, now - 420)
    t.hit("pv", "/a", ip=IP_GB, ua=DESKTOP_CHROME, t="Alpha", r="https://blog.example.org/post/1")
    t.now = now - 120
    t.hit("pv", "/a", ip=IP_US, ua=DESKTOP_CHROME, t="Alpha")
    t.now = now - 60
    t.hit("pv", "/b", ip=IP_DE, ua=DESKTOP_CHROME, t="Beta", r="https://t.co/x")
    t.now = now
    t.hit("pv", "/b", ip=IP_CH, ua=IPHONE, t="Beta", r="https://www.google.com/", v="1")
    t.hit("ev", "/b", ip=IP_DE, ua=DESKTOP_CHROME, c="video", x="play", l="intro")
    t.hit("ev", "/b", ip=IP_DE, ua=DESKTOP_CHROME, c="video", x="pause")
    t.hit("pv", "/c?utm_source=morning&utm_medium=email&utm_campaign=daily&utm_term=breaking+news", ip=IP_AU, ua=IPAD,
          t="Gamma, the third")
    t.now = now - 5
    t.hit("hb", "/a", ip=IP_US, ua=DESKTOP_CHROME)
    return Known(site, now)


@pytest.fixture(scope="module")
def known(ga_world) -> Known:
    """The known traffic on a fresh tracker, shared by a module's tests (they only read it)."""
    return send_known(take_site(ga_world))


@pytest.fixture
def v3(ga_server, keys):
    from gacompat.tests import clients

    return clients.v3(ga_server, keys["read"])


@pytest.fixture
def ga4(ga_server, keys):
    from gacompat.tests import clients

    return clients.ga4(ga_server, keys["read"])


@pytest.fixture
def own_redis_prefix(settings):
    """For tests that call the GA views in-process: their trackers' view IDs come from the test
    database and repeat those of the live servers' seeded database, so GA quota counters (keyed by
    view ID) would be shared. A key prefix of their own, under the run's (removed with it)."""
    settings.NOWMETRIX_REDIS_PREFIX = f"{settings.NOWMETRIX_REDIS_PREFIX}-inproc-{uuid.uuid4().hex[:8]}"
