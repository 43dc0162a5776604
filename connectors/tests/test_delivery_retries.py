"""Delivery retries with exponential back-off on 5xx, 429 and timeouts, never on other 4xx;
an unreachable channel shows as failed deliveries; a delivery is never sent twice."""

import pytest

from connectors import delivery, evaluation
from connectors.models import Delivery, DeliveryStatus
from connectors.tests.conftest import T0, make_connector
from realtime.tests.servers import free_port


@pytest.fixture
def story(newsroom):
    newsroom.readers("/big", 3, title="Big story")
    return newsroom


def test_delivery_retries_after_500s_and_delivers_once(story, tenant, receiver):
    make_connector(tenant, receiver.origin)
    receiver.script(500, 503)
    story.evaluate(T0)
    assert [r["path"] for r in receiver.got()] == ["/hook"] * 3
    assert [r["checks"].get("signature") for r in receiver.got()] == [None, None, True]
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempts, sent.response_status) == ("sent", 3, 200)


def test_delivery_does_not_retry_after_a_400(story, tenant, receiver):
    make_connector(tenant, receiver.origin)
    receiver.script(400)
    story.evaluate(T0)
    assert len(receiver.got()) == 1
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts, failed.response_status, failed.error) == ("failed", 1, 400, "HTTP 400")
    assert "scripted" in failed.response_excerpt


def test_delivery_retries_a_timeout(story, tenant, receiver, settings):
    settings.NOWMETRIX_CONNECTOR_READ_TIMEOUT_SECS = 0.2
    make_connector(tenant, receiver.origin)
    receiver.script(0, delay=0.6)
    story.evaluate(T0)
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempts) == ("sent", 2)


def test_delivery_gives_up_after_the_last_retry(story, tenant, receiver, settings):
    settings.NOWMETRIX_CONNECTOR_MAX_RETRIES = 2
    make_connector(tenant, receiver.origin)
    receiver.script(500, 500, 500, 500)
    story.evaluate(T0)
    assert len(receiver.got()) == 3
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts, failed.error) == ("failed", 3, "HTTP 500")


def test_the_back_off_doubles_after_each_failed_attempt(settings):
    settings.NOWMETRIX_CONNECTOR_RETRY_BASE_SECS = 10
    assert [delivery.backoff_secs(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]


def test_a_failed_attempt_asks_for_a_retry_after_the_back_off(tenant, receiver, settings, django_capture_on_commit_callbacks):
    from connectors import services

    settings.NOWMETRIX_CONNECTOR_RETRY_BASE_SECS = 7
    connector = make_connector(tenant, receiver.origin)
    services.connector_send_test(connector=connector, now=T0)  # enqueued on commit: not run here
    receiver.script(502, 502)
    pk = Delivery.objects.get().pk
    assert delivery.delivery_attempt(pk) == delivery.Attempt("retrying", 7)
    assert delivery.delivery_attempt(pk) == delivery.Attempt("retrying", 14)
    assert delivery.delivery_attempt(pk) == delivery.Attempt("sent", None)


def test_an_unreachable_channel_appears_as_a_failed_delivery(story, tenant, receiver, settings):
    settings.NOWMETRIX_CONNECTOR_MAX_RETRIES = 1
    connector = make_connector(tenant, receiver.origin)
    channel = connector.channels.get()
    channel.base_url = f"http://127.0.0.1:{free_port()}/hook"
    channel.save()
    story.evaluate(T0)
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts, failed.error, failed.response_status) == ("failed", 2, "connection failed", None)


def test_a_second_copy_of_a_claimed_delivery_sends_nothing(tenant, receiver):
    """A worker killed mid-request leaves its delivery claimed; the redelivered message finds it
    so and sends nothing; the sweep later marks it failed, never resent."""
    from connectors import services

    connector = make_connector(tenant, receiver.origin)
    services.connector_send_test(connector=connector, now=T0)
    claimed = Delivery.objects.get()
    Delivery.objects.filter(pk=claimed.pk).update(status=DeliveryStatus.SENDING, attempts=1)
    assert delivery.delivery_attempt(claimed.pk, now=T0 + 1).status == "skipped"
    evaluation.deliveries_sweep(now=T0 + evaluation.INTERRUPTED_SECS + 1)
    claimed.refresh_from_db()
    assert claimed.status == "failed" and "not resent" in claimed.error
    assert delivery.delivery_attempt(claimed.pk).status == "skipped"
    assert receiver.got() == []


def test_a_delivered_message_is_never_sent_again(tenant, receiver, eager_celery, django_capture_on_commit_callbacks):
    from connectors import services, tasks

    connector = make_connector(tenant, receiver.origin)
    with django_capture_on_commit_callbacks(execute=True):
        services.connector_send_test(connector=connector, now=T0)
    pk = Delivery.objects.get().pk
    tasks.deliver.apply(args=[pk])  # a duplicate message (redelivery after a restart)
    assert len(receiver.got("/hook")) == 1


def test_private_addresses_are_refused_unless_allowed(story, tenant, receiver, settings):
    settings.NOWMETRIX_CONNECTOR_ALLOW_PRIVATE = False
    make_connector(tenant, receiver.origin)
    story.evaluate(T0)
    refused = Delivery.objects.get()
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert refused.error.startswith("refused: 127.0.0.1 is a private address")
    assert receiver.arrivals == []
