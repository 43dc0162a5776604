"""The preview shows the articles matching now and each channel's exact message, escaped, and
sends nothing; "send test" sends one marked test message; the delivery log shows outcomes."""

import json
import time

import pytest

from connectors.models import Delivery, Post, Qualification
from connectors.tests import receiver as r
from connectors.tests.conftest import Newsroom, make_connector

TITLE = '<img src=x onerror="alert(1)"> & more'


@pytest.fixture
def live(tenant):
    room = Newsroom(tenant, now=time.time())
    room.readers("/hot", 4, title=TITLE)
    room.readers("/obituary/jane", 5, title="Jane Doe")
    room.readers("/cold", 1, title="Cold story")
    room.traffic.snapshot()
    return room


def test_the_preview_shows_matches_and_messages_and_sends_nothing(client, tenant, receiver, live):
    connector = make_connector(tenant, receiver.origin, kinds=("webhook", "slack", "telegram", "bluesky"),
                               threshold=3, stop_words=["obituary"])
    client.force_login(tenant.admin)
    response = client.get(f"/settings/connectors/{connector.public_id}/preview")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Matching now (1)" in html
    assert TITLE not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more" in html
    assert "would be posted at the next evaluation" in html
    assert "stop word “obituary”" in html and "below the threshold" in html
    assert f"/bot&lt;token&gt;/sendMessage" in html and r.TELEGRAM_TOKEN not in html
    assert "xrpc/com.atproto.repo.createRecord" in html and r.BLUESKY_APP_PASSWORD not in html
    # The webhook body shown is the one sent (escaped for HTML, byte for byte otherwise).
    row = response.context["matching"][0]
    webhook = next(m for m in row.messages if m.kind == "webhook")
    assert json.loads(webhook.body)["article"]["title"] == TITLE
    assert receiver.got() == []
    assert not Post.objects.exists() and not Delivery.objects.exists() and not Qualification.objects.exists()


def test_send_test_sends_one_marked_message_to_each_channel(client, tenant, receiver, eager_celery,
                                                             django_capture_on_commit_callbacks):
    connector = make_connector(tenant, receiver.origin, kinds=("webhook", "telegram"))
    client.force_login(tenant.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/settings/connectors/{connector.public_id}/test")
    assert response.status_code == 302
    (hook,) = receiver.got("/hook")
    assert hook["json"]["test"] is True and hook["json"]["event"] == "connector.test"
    (telegram,) = receiver.got("/sendMessage")
    assert telegram["json"]["text"].startswith("[NowMetrix test] ")
    assert Post.objects.get().is_test


def test_the_delivery_log_shows_status_and_response_excerpts(client, tenant, receiver, eager_celery, settings,
                                                             django_capture_on_commit_callbacks):
    settings.NOWMETRIX_CONNECTOR_MAX_RETRIES = 0
    connector = make_connector(tenant, receiver.origin, kinds=("webhook", "telegram"))
    receiver.script(0, 400)
    client.force_login(tenant.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/settings/connectors/{connector.public_id}/test")
    html = client.get(f"/settings/connectors/{connector.public_id}/").content.decode()
    assert "Sent" in html and "Failed" in html and "400 HTTP 400" in html
    assert "{&quot;error&quot;: &quot;scripted&quot;}" in html  # the refused request's answer
    listing = client.get("/settings/connectors/").content.decode()
    assert "badge-off\">failed" in listing or "badge-ok\">sent" in listing
