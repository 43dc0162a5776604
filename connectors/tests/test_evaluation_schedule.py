"""Beat evaluates the connectors periodically; trackers without active connectors cost nothing."""

from connectors.tests.conftest import T0, Newsroom, make_connector
from nowmetrix.celery import app
from realtime import live_state


def test_beat_runs_the_evaluation_every_fifteen_seconds():
    entry = app.conf.beat_schedule["connectors-evaluate"]
    assert entry["task"] == "connectors.tasks.evaluate" and entry["schedule"] == 15.0
    app.loader.import_default_modules()
    assert "connectors.tasks.evaluate" in app.tasks and "connectors.tasks.deliver" in app.tasks


def test_only_trackers_with_active_connectors_have_their_snapshot_read(tenant, outsider, receiver, monkeypatch,
                                                                        eager_celery, django_capture_on_commit_callbacks):
    from connectors import evaluation

    make_connector(tenant, receiver.origin, threshold=2)
    idle = make_connector(outsider, receiver.origin, threshold=2)
    idle.is_active = False
    idle.save()
    for who in (tenant, outsider):
        room = Newsroom(who, now=T0)
        room.readers("/a", 2)
        room.traffic.snapshot()
    read = []
    original = live_state.snapshot_get
    monkeypatch.setattr(live_state, "snapshot_get", lambda site: read.append(site) or original(site))
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluation.evaluate(now=T0) == 1
    assert read == [tenant.tracker.public_id]


def test_a_stale_snapshot_leaves_qualifications_alone(newsroom, tenant, receiver):
    from connectors.models import Qualification

    make_connector(tenant, receiver.origin, threshold=2, min_minutes=5)
    newsroom.readers("/a", 2)
    newsroom.evaluate(T0)
    from connectors import evaluation

    # The tick stopped: the stored snapshot ages; nothing is ended or posted from stale data.
    assert evaluation.evaluate(now=T0 + 120) == 0
    assert Qualification.objects.filter(ended_at__isnull=True).count() == 1
