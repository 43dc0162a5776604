"""Channel credentials are encrypted at rest, with a key from settings, and can be rotated."""

import pytest
from django.db import connection

from connectors import crypto, services
from connectors.models import Channel
from connectors.tests import receiver as r
from connectors.tests.conftest import make_connector


def _raw_row(channel_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM connectors_channel WHERE id = %s", [channel_id])
        return repr(cursor.fetchone())


def test_no_token_password_secret_or_slack_url_is_in_the_raw_database_row(tenant):
    connector = make_connector(tenant, "http://127.0.0.1:9", kinds=("webhook", "slack", "telegram", "bluesky"))
    raw = " ".join(_raw_row(c.pk) for c in connector.channels.all())
    for secret in (r.WEBHOOK_SECRET, r.SLACK_PATH, r.TELEGRAM_TOKEN, r.TELEGRAM_TOKEN.split(":")[1], r.TELEGRAM_CHAT,
                   r.BLUESKY_APP_PASSWORD):
        assert secret not in raw
    telegram = connector.channels.get(kind="telegram")
    assert telegram.credentials() == {"token": r.TELEGRAM_TOKEN, "chat": r.TELEGRAM_CHAT}


def test_credentials_written_under_one_key_do_not_decrypt_under_another(tenant, settings):
    settings.NOWMETRIX_CONNECTOR_KEY = "the first key, a passphrase"
    channel = make_connector(tenant, "http://127.0.0.1:9", kinds=("telegram",)).channels.get()
    settings.NOWMETRIX_CONNECTOR_KEY = "another key entirely"
    with pytest.raises(crypto.CredentialsUnreadable):
        Channel.objects.get(pk=channel.pk).credentials()


def test_rotation_re_encrypts_with_the_new_key_while_the_old_one_still_decrypts(tenant, settings):
    settings.NOWMETRIX_CONNECTOR_KEY = "old key"
    channel = make_connector(tenant, "http://127.0.0.1:9", kinds=("telegram",)).channels.get()
    settings.NOWMETRIX_CONNECTOR_KEY = "new key,old key"
    assert services.channels_rotate_key() == 1
    settings.NOWMETRIX_CONNECTOR_KEY = "new key"
    assert Channel.objects.get(pk=channel.pk).credentials()["token"] == r.TELEGRAM_TOKEN


def test_a_channel_whose_credentials_no_longer_decrypt_fails_its_deliveries_clearly(tenant, settings, receiver):
    from connectors import delivery
    from connectors.models import Delivery

    settings.NOWMETRIX_CONNECTOR_KEY = "old key"
    connector = make_connector(tenant, receiver.origin)
    services.connector_send_test(connector=connector)
    settings.NOWMETRIX_CONNECTOR_KEY = "new key"
    pk = Delivery.objects.get().pk
    assert delivery.delivery_attempt(pk).status == "failed"
    assert "NOWMETRIX_CONNECTOR_KEY" in Delivery.objects.get().error
    assert receiver.got() == []
