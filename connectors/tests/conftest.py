"""Fixtures of the connector tests: the local receiver, Celery run in-process, connectors of
each kind on the tenant's tracker, and traffic driven on a driven clock."""

from __future__ import annotations

import pytest

from connectors.tests import receiver as r

T0 = 1_900_000_000.0  # a fixed clock (2030-03-17), driven by the tests


@pytest.fixture(autouse=True)
def _private_receivers(settings):
    """The local receivers listen on 127.0.0.1, which channels refuse by default."""
    settings.NOWMETRIX_CONNECTOR_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    server = r.Receiver()
    yield server
    server.stop()


@pytest.fixture
def eager_celery():
    """Tasks run in the calling process (retries too, at once): the delivery logic is what is
    under test here; `test_delivery_worker.py` runs a real worker."""
    from nowmetrix.celery import app

    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False


def channel_spec(kind: str, origin: str) -> dict:
    given = {
        "webhook": {"secret": r.WEBHOOK_SECRET},
        "slack": {},
        "telegram": {"token": r.TELEGRAM_TOKEN, "chat": r.TELEGRAM_CHAT},
        "bluesky": {"handle": r.BLUESKY_HANDLE, "app_password": r.BLUESKY_APP_PASSWORD},
    }[kind]
    url = {"webhook": f"{origin}/hook", "slack": f"{origin}{r.SLACK_PATH}", "telegram": origin, "bluesky": origin}[kind]
    return {"kind": kind, "url": url, "given": given}


def make_connector(tenant, origin: str, kinds=("webhook",), **rule):
    from connectors import services

    rule = {"name": "Big stories", "threshold": 3, **rule}
    return services.connector_create(account=tenant.account, tracker=tenant.tracker,
                                     channels=[channel_spec(k, origin) for k in kinds], **rule)


class Newsroom:
    """Readers on the tenant's site through the real ingest pipeline, snapshots built as the tick
    builds them, and the connectors evaluated, all at a driven clock."""

    def __init__(self, tenant, now: float = T0):
        from realtime.tests.traffic import Traffic

        self.traffic = Traffic(tenant.tracker.public_id, "planet.example", now)
        self.visitors = 0

    @property
    def now(self) -> float:
        return self.traffic.now

    def readers(self, path: str, count: int, title: str | None = None, **fields) -> None:
        """`count` new visitors open `path` (each from its own address)."""
        for _ in range(count):
            self.visitors += 1
            ip = f"8.8.{self.visitors // 200}.{self.visitors % 200 + 1}"
            self.traffic.hit(path=path, ip=ip, t=title or f"Story {path}", **fields)

    def evaluate(self, at: float | None = None) -> int:
        """Move the clock to `at`, build the snapshot, evaluate (deliveries run on commit)."""
        from connectors import evaluation

        if at is not None:
            self.traffic.now = at
        self.traffic.snapshot()
        return evaluation.evaluate(now=self.now)


@pytest.fixture
def newsroom(tenant, eager_celery, django_capture_on_commit_callbacks):
    room = Newsroom(tenant)
    original = room.evaluate

    def evaluate(at=None):
        with django_capture_on_commit_callbacks(execute=True):
            return original(at)

    room.evaluate = evaluate
    return room
