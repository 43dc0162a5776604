"""Each channel's request against a local receiver that implements the service's API."""

import pytest

from connectors.models import Delivery
from connectors.tests import receiver as r
from connectors.tests.conftest import T0, make_connector

NASTY = 'Fish & <b>chips</b> | "quoted" <script>alert(1)</script>'


@pytest.fixture
def story(newsroom):
    newsroom.readers("/fish", 3, title=NASTY, i="https://cdn.planet.example/fish.jpg", r="https://www.google.ch/")
    return newsroom


def test_the_webhook_is_a_signed_json_post_with_the_article_rule_and_tracker(story, tenant, receiver):
    connector = make_connector(tenant, receiver.origin, kinds=("webhook",), threshold=3)
    story.evaluate(T0)
    (hook,) = receiver.got("/hook")
    assert hook["checks"]["signature"] is True
    assert hook["headers"]["Content-Type"] == "application/json"
    assert hook["headers"]["X-NowMetrix-Timestamp"].isdigit()  # the send time, signed with the body
    assert hook["headers"]["X-NowMetrix-Signature"].startswith("sha256=")
    assert hook["headers"]["X-NowMetrix-Delivery"].startswith(connector.public_id)
    body = hook["json"]
    assert body["event"] == "article.qualified" and body["test"] is False
    assert body["article"] == {
        "url": "/fish", "host": "planet.example", "link": "https://planet.example/fish", "title": NASTY,
        "og_image": "https://cdn.planet.example/fish.jpg", "realtime_users": 3, "pageviews_today": 3,
        "top_source": "Google Search",
    }
    assert body["rule"] == {"id": connector.public_id, "name": "Big stories", "threshold": 3, "min_minutes": None,
                            "pageviews_floor": None}
    assert body["tracker"] == {"id": tenant.tracker.public_id, "name": tenant.tracker.name}
    assert Delivery.objects.get().status == "sent"


def test_a_body_signed_with_another_secret_is_refused_by_the_receiver_and_logged_failed(story, tenant, receiver):
    from connectors import services

    connector = make_connector(tenant, receiver.origin, kinds=("webhook",))
    services.channel_update(channel=connector.channels.get(), url=f"{receiver.origin}/hook",
                            given={"secret": "another-secret-of-16+chars"})
    story.evaluate(T0)
    (hook,) = receiver.got("/hook")
    assert hook["checks"]["signature"] is False
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("failed", 401, 1)
    assert "bad signature" in delivery.response_excerpt


def test_slack_gets_an_incoming_webhook_message_with_link_title_image_and_count(story, tenant, receiver):
    make_connector(tenant, receiver.origin, kinds=("slack",))
    story.evaluate(T0)
    (slack,) = receiver.got(r.SLACK_PATH)
    assert slack["checks"]["payload"] is True
    section = slack["json"]["blocks"][0]
    text = section["text"]["text"]
    assert text.startswith("<https://planet.example/fish|Fish &amp; &lt;b&gt;chips&lt;/b&gt; ¦ ")
    assert "<script>" not in text and "<script>" not in slack["json"]["text"]  # mrkdwn fields escaped
    assert "*3 live readers* now" in text
    assert section["accessory"]["image_url"] == "https://cdn.planet.example/fish.jpg"
    assert "3 live readers" in slack["json"]["text"]


def test_telegram_gets_send_message_in_html_mode_with_the_title_escaped(story, tenant, receiver):
    make_connector(tenant, receiver.origin, kinds=("telegram",))
    story.evaluate(T0)
    (message,) = receiver.got("/sendMessage")
    assert message["path"] == f"/bot{r.TELEGRAM_TOKEN}/sendMessage"
    assert message["checks"] == {"token": True, "payload": True}
    assert message["json"]["chat_id"] == r.TELEGRAM_CHAT
    assert message["json"]["text"] == (
        '<a href="https://planet.example/fish">Fish &amp; &lt;b&gt;chips&lt;/b&gt; | &quot;quoted&quot; '
        '&lt;script&gt;alert(1)&lt;/script&gt;</a>\n<b>3 live readers</b> now')
    assert Delivery.objects.get().status == "sent"


def test_bluesky_creates_a_session_then_a_post_with_an_external_embed(story, tenant, receiver):
    make_connector(tenant, receiver.origin, kinds=("bluesky",))
    story.evaluate(T0)
    session, record = receiver.got("/xrpc/")
    assert session["path"] == "/xrpc/com.atproto.server.createSession" and session["checks"]["login"]
    assert record["path"] == "/xrpc/com.atproto.repo.createRecord"
    assert record["checks"] == {"auth": True, "payload": True}
    post = record["json"]["record"]
    assert post["text"] == f"{NASTY} (3 live readers)"
    assert post["createdAt"].endswith("Z")
    assert post["embed"] == {"$type": "app.bsky.embed.external", "external": {
        "uri": "https://planet.example/fish", "title": NASTY, "description": "3 live readers on planet.example"}}
    delivery = Delivery.objects.get()
    assert delivery.status == "sent" and "at://" in delivery.response_excerpt


def test_a_connector_with_several_channels_sends_to_each_once(story, tenant, receiver):
    make_connector(tenant, receiver.origin, kinds=("webhook", "slack", "telegram", "bluesky"))
    story.evaluate(T0)
    story.evaluate(T0 + 15)
    assert len(receiver.got("/hook")) == 1
    assert len(receiver.got(r.SLACK_PATH)) == 1
    assert len(receiver.got("/sendMessage")) == 1
    assert len(receiver.got("createRecord")) == 1
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["sent"] * 4
