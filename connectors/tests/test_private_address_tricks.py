"""A channel URL whose host `urlsplit` and `requests` read differently cannot reach a private
address: `http://127.0.0.1:PORT\\@93.184.216.34/` is 93.184.216.34 to `urlsplit` and 127.0.0.1
to `requests`, which is where it would connect."""

import pytest
from django.core.exceptions import ValidationError

from connectors import credentials
from connectors.models import Channel, Delivery
from connectors.tests.conftest import T0, make_connector


def _hidden(receiver) -> str:
    return receiver.origin + "\\@93.184.216.34/hook"


def test_delivery_refuses_a_private_host_hidden_behind_a_backslash(newsroom, tenant, receiver, settings):
    settings.NOWMETRIX_CONNECTOR_ALLOW_PRIVATE = False
    connector = make_connector(tenant, receiver.origin)
    # A URL stored before the form refused backslashes.
    Channel.objects.filter(connector=connector).update(base_url=_hidden(receiver))
    newsroom.readers("/big", 3, title="Big story")
    newsroom.evaluate(T0)
    refused = Delivery.objects.get()
    assert refused.status == "failed"
    assert refused.error.startswith("refused: 127.0.0.1 is a private address")
    assert receiver.arrivals == []


def test_the_channel_form_refuses_a_url_with_a_backslash(receiver):
    with pytest.raises(ValidationError) as refused:
        credentials.channel_clean("webhook", url=_hidden(receiver), given={"secret": "s" * 20})
    assert "url" in refused.value.message_dict
