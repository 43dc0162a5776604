"""Two evaluations at once (two beats, an overrunning worker) never post twice."""

import threading

import pytest
from django.db import connection

from connectors import evaluation, selectors
from connectors.models import Delivery, Post, Qualification
from connectors.tests.conftest import T0, Newsroom, make_connector


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_evaluations_post_each_article_once(tenant):
    connector = make_connector(tenant, "http://127.0.0.1:9", kinds=("webhook", "slack"), threshold=2, hourly_limit=2)
    room = Newsroom(tenant)
    room.readers("/a", 4)
    room.readers("/b", 3)
    room.readers("/c", 2)
    room.traffic.snapshot()
    articles = selectors.live_articles(tenant.tracker.public_id, T0)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            evaluation.connector_evaluate(connector=connector, articles=articles, now=T0)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # The hourly limit (2) holds across the racing evaluations: the two most read, once each.
    assert sorted(p.article["url"] for p in Post.objects.all()) == ["/a", "/b"]
    assert Delivery.objects.count() == 4
    assert Qualification.objects.filter(ended_at__isnull=True).count() == 3
    # A later evaluation adds nothing: the limit is spent and /a, /b are posted.
    evaluation.connector_evaluate(connector=connector, articles=articles, now=T0 + 15)
    assert Post.objects.count() == 2
