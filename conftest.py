"""Shared personas: an Admin with a tracker and a key, an Editor of the same account (with and
without access to the tracker), and an outsider with an account of their own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

# Django models are imported inside the helpers: this file is also loaded by test runs that
# do not set Django up (`-p no:django` for the pure enrichment and snippet tests).


@dataclass
class Tenant:
    account: "Account"  # noqa: F821
    admin: object
    tracker: "Tracker"  # noqa: F821
    api_key: "ApiKey"  # noqa: F821
    secret: str


def make_tenant(name: str, email: str, host: str) -> Tenant:
    from trackers import services
    from trackers.models import Scope

    admin, _ = services.user_get_or_create(email=email, password="correct horse battery staple")
    account = services.account_create(name=name, owner=admin, timezone_name="Europe/Zurich")
    tracker = services.tracker_create(account=account, name=f"{name} site", hosts=[host])
    api_key, secret = services.api_key_issue(account=account, name="full", created_by=admin, scope=Scope.FULL)
    return Tenant(account, admin, tracker, api_key, secret)


@pytest.fixture
def tenant(db) -> Tenant:
    return make_tenant("Daily Planet", "lois@planet.example", "planet.example")


@pytest.fixture
def outsider(db) -> Tenant:
    return make_tenant("Daily Bugle", "jonah@bugle.example", "bugle.example")


@pytest.fixture
def editor(tenant):
    """An Editor of the tenant's account who was given the tenant's tracker."""
    from trackers import services
    from trackers.models import Role

    user, _ = services.user_get_or_create(email="jimmy@planet.example", password="correct horse battery staple")
    services.membership_add(account=tenant.account, user=user, role=Role.EDITOR, trackers=[tenant.tracker])
    return user


@pytest.fixture
def editor_without_access(tenant):
    from trackers import services
    from trackers.models import Role

    user, _ = services.user_get_or_create(email="perry@planet.example", password="correct horse battery staple")
    services.membership_add(account=tenant.account, user=user, role=Role.EDITOR, trackers=[])
    return user


@pytest.fixture
def bearer(tenant) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {tenant.secret}"}


# --- the live state on a single Redis and on a Redis Cluster --------------------------------
# The modules below run every test twice: on the machine's Redis ("single") and on a private
# 3-master Redis Cluster ("cluster") started once for the session. Listed here rather than
# marked in each file: the list is the cost of the second run in CI (README, "Tests").
CLUSTER_MODULES = (
    "realtime/tests/test_ingest_pipeline.py",
    "realtime/tests/test_ingest_live_counts.py",
    "realtime/tests/test_ingest_burst_truth.py",
    "realtime/tests/test_ingest_replayed_time.py",
    "realtime/tests/test_ingest_tracker_changes.py",
    "realtime/tests/test_ingest_midnight.py",
    "realtime/tests/test_live_state_expiry.py",
    "realtime/tests/test_live_state_hit_log.py",
    "realtime/tests/test_api_realtime.py",
    "realtime/tests/test_api_fastpath.py",
    "realtime/tests/test_api_rate_limit.py",
    "realtime/tests/test_api_stream.py",
    "realtime/tests/test_api_stream_revoked.py",
    "realtime/tests/test_e2e_pipeline.py",
    "realtime/tests/test_api_public_counter.py",
    "realtime/tests/test_api_microcache.py",
    "realtime/tests/test_consumer_snapshot.py",
    "realtime/tests/test_ingest_spool.py",
    "realtime/tests/test_tick_shards.py",
    "realtime/tests/test_tick_chunk.py",
    "realtime/tests/test_watched_rebuilds.py",
    "realtime/tests/test_watched_by_sockets.py",
    "gacompat/tests/test_ga_failures.py",
    "gacompat/tests/test_visitor_table_queries.py",
    "gacompat/tests/test_pageviews_by_page.py",
    "history/tests/test_rollup_counts.py",
    "history/tests/test_restore_after_empty_redis.py",
)


def pytest_generate_tests(metafunc):
    path = str(metafunc.definition.path.relative_to(metafunc.config.rootpath))
    if path in CLUSTER_MODULES and "live_redis" in metafunc.fixturenames:
        metafunc.parametrize("live_redis", ["single", "cluster"], indirect=True)


@pytest.fixture(scope="session")
def redis_cluster():
    """A private 3-master Redis Cluster for the session (devstack/redis_cluster.py)."""
    from devstack.redis_cluster import start_redis_cluster

    servers = start_redis_cluster(masters=3)
    yield servers
    servers.stop()


@pytest.fixture
def on_cluster(settings, redis_cluster):
    """This test's live state on the session's cluster (whatever its `live_redis` says)."""
    from realtime.live_state import clients

    settings.REDIS_URL = redis_cluster.url
    clients.clients_reset()
    yield redis_cluster
    clients.clients_reset()


@pytest.fixture(autouse=True)
def live_redis(request):
    """Which Redis holds the live state: "single" (the machine's, as configured) or "cluster"
    (REDIS_URL of this process and of the servers and workers a test starts points at the
    session's cluster; pub/sub, cache and Celery stay on the plain Redis, as in production)."""
    mode = getattr(request, "param", "single")
    if mode == "single":
        yield mode
        return
    from realtime.api import keycache, microcache
    from realtime.live_state import clients

    cluster = request.getfixturevalue("redis_cluster")
    settings = request.getfixturevalue("settings")
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("REDIS_URL", cluster.url)
    monkeypatch.setenv("NOWMETRIX_PUBSUB_REDIS_URLS", ",".join(settings.NOWMETRIX_PUBSUB_REDIS_URLS))
    monkeypatch.setenv("CELERY_BROKER_URL", settings.CELERY_BROKER_URL)
    settings.REDIS_URL = cluster.url
    clients.clients_reset()
    microcache.clear()
    keycache.clear()
    yield mode
    # pytest-django's `settings` restores REDIS_URL after this teardown: drop the cluster clients now.
    clients.clients_reset()
    microcache.clear()
    keycache.clear()
