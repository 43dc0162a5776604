"""Admins create, edit and delete connectors and channels; secrets are never shown again;
malformed URLs and tokens are refused with field errors."""

from connectors.models import Channel, Connector
from connectors.tests import receiver as r
from connectors.tests.conftest import make_connector


def _create(client, tenant, **overrides):
    data = {"name": "Big stories", "tracker": tenant.tracker.public_id, "threshold": "20", "min_minutes": "2",
            "pageviews_floor": "", "stop_words": "Obituary\n  sponsored content \n", "hourly_limit": "4",
            "cooldown_hours": "12", "is_active": "on", "channel-kind": "telegram", "channel-url": "",
            "channel-token": r.TELEGRAM_TOKEN, "channel-chat": r.TELEGRAM_CHAT, **overrides}
    return client.post("/settings/connectors/new", data)


def test_an_admin_creates_a_connector_with_its_first_channel(client, tenant):
    client.force_login(tenant.admin)
    response = _create(client, tenant)
    connector = Connector.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/settings/connectors/{connector.public_id}/"
    assert (connector.account, connector.tracker, connector.threshold, connector.min_minutes) == (
        tenant.account, tenant.tracker, 20, 2)
    assert connector.stop_words == ["obituary", "sponsored content"]
    assert connector.channels.get().credentials() == {"token": r.TELEGRAM_TOKEN, "chat": r.TELEGRAM_CHAT}


def test_a_malformed_token_or_url_is_refused_with_a_field_error(client, tenant):
    client.force_login(tenant.admin)
    response = _create(client, tenant, **{"channel-token": "not-a-token"})
    assert response.status_code == 200
    assert b"Enter the bot token BotFather gave you" in response.content
    response = _create(client, tenant, **{"channel-kind": "webhook", "channel-url": "ftp://x", "channel-secret": "s" * 20})
    assert b"Enter a valid http(s) URL." in response.content
    response = _create(client, tenant, **{"channel-kind": "bluesky", "channel-handle": "not a handle",
                                          "channel-app_password": "x"})
    assert b"Enter a handle like newsroom.bsky.social." in response.content
    assert Connector.objects.count() == 0


def test_secrets_are_never_shown_again_and_blank_keeps_them(client, tenant):
    client.force_login(tenant.admin)
    connector = make_connector(tenant, "http://127.0.0.1:9", kinds=("telegram", "bluesky", "slack"))
    pages = [client.get(f"/settings/connectors/{connector.public_id}/").content]
    for channel in connector.channels.all():
        pages.append(client.get(f"/settings/connectors/{connector.public_id}/channels/{channel.pk}/edit").content)
    html = b"".join(pages).decode()
    for secret in (r.TELEGRAM_TOKEN, r.TELEGRAM_CHAT, r.BLUESKY_APP_PASSWORD, r.SLACK_PATH):
        assert secret not in html
    telegram = connector.channels.get(kind="telegram")
    response = client.post(f"/settings/connectors/{connector.public_id}/channels/{telegram.pk}/edit",
                           {"url": "", "token": "", "chat": "@planetnews"})
    assert response.status_code == 302
    assert Channel.objects.get(pk=telegram.pk).credentials() == {"token": r.TELEGRAM_TOKEN, "chat": "@planetnews"}


def test_an_admin_edits_the_rule_and_deletes_the_connector(client, tenant):
    client.force_login(tenant.admin)
    connector = make_connector(tenant, "http://127.0.0.1:9")
    data = {"name": "Renamed", "threshold": "50", "min_minutes": "", "pageviews_floor": "1000", "stop_words": "",
            "hourly_limit": "2", "cooldown_hours": "24"}
    assert client.post(f"/settings/connectors/{connector.public_id}/edit", data).status_code == 302
    connector.refresh_from_db()
    assert (connector.name, connector.threshold, connector.pageviews_floor, connector.is_active) == ("Renamed", 50, 1000, False)
    assert client.post(f"/settings/connectors/{connector.public_id}/delete").status_code == 302
    assert not Connector.objects.exists() and not Channel.objects.exists()


def test_an_admin_adds_and_removes_a_channel(client, tenant):
    client.force_login(tenant.admin)
    connector = make_connector(tenant, "http://127.0.0.1:9")
    response = client.post(f"/settings/connectors/{connector.public_id}/channels/new",
                           {"kind": "slack", "url": f"https://hooks.slack.com{r.SLACK_PATH}"})
    assert response.status_code == 302
    slack = connector.channels.get(kind="slack")
    assert slack.hint == "https://hooks.slack.com/…"
    client.post(f"/settings/connectors/{connector.public_id}/channels/{slack.pk}/delete")
    assert list(connector.channels.values_list("kind", flat=True)) == ["webhook"]
