"""Settings → Connectors: Admins only. Anonymous users are sent to log in, Editors get a 403,
and another tenant's connectors are a 404, on every page and method."""

import pytest

from connectors.models import Connector
from connectors.tests.conftest import make_connector


def _urls(connector) -> list[tuple[str, str]]:
    base = f"/settings/connectors/{connector.public_id}"
    channel = connector.channels.get().pk
    return [
        ("get", f"{base}/"), ("get", f"{base}/edit"), ("post", f"{base}/edit"), ("post", f"{base}/delete"),
        ("get", f"{base}/preview"), ("post", f"{base}/test"), ("get", f"{base}/channels/new"),
        ("post", f"{base}/channels/new"), ("get", f"{base}/channels/{channel}/edit"),
        ("post", f"{base}/channels/{channel}/edit"), ("post", f"{base}/channels/{channel}/delete"),
    ]


@pytest.fixture
def connector(tenant):
    return make_connector(tenant, "http://127.0.0.1:9")


def test_anonymous_users_are_sent_to_log_in(client, connector):
    for method, url in [("get", "/settings/connectors/"), ("get", "/settings/connectors/new"), *_urls(connector)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/login"), (method, url)


def test_editors_get_a_403_on_every_page(client, editor, connector):
    client.force_login(editor)
    for method, url in [("get", "/settings/connectors/"), ("get", "/settings/connectors/new"),
                        ("post", "/settings/connectors/new"), *_urls(connector)]:
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert Connector.objects.filter(pk=connector.pk).exists()


def test_another_tenants_connector_is_a_404_and_stays_untouched(client, outsider, connector):
    client.force_login(outsider.admin)
    for method, url in _urls(connector):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert Connector.objects.filter(pk=connector.pk).exists()
    assert connector.channels.count() == 1


def test_the_list_shows_only_the_accounts_own_connectors(client, tenant, outsider, connector):
    make_connector(outsider, "http://127.0.0.1:9", name="Bugle alerts")
    client.force_login(tenant.admin)
    response = client.get("/settings/connectors/")
    assert response.status_code == 200
    assert b"Big stories" in response.content and b"Bugle alerts" not in response.content


def test_the_pages_send_a_content_security_policy_without_inline_script(client, tenant, connector):
    client.force_login(tenant.admin)
    for url in ("/settings/connectors/", f"/settings/connectors/{connector.public_id}/",
                f"/settings/connectors/{connector.public_id}/preview"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy


def test_the_list_costs_the_same_queries_for_one_connector_or_many(client, tenant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(tenant.admin)
    make_connector(tenant, "http://127.0.0.1:9", kinds=("webhook", "telegram"))
    with CaptureQueriesContext(connection) as one:
        client.get("/settings/connectors/")
    for i in range(4):
        make_connector(tenant, "http://127.0.0.1:9", kinds=("slack", "bluesky"), name=f"Rule {i}")
    with CaptureQueriesContext(connection) as five:
        assert b"Rule 3" in client.get("/settings/connectors/").content
    assert len(five) == len(one)
