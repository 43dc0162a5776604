"""A connector's threshold and pageviews floor beyond what the database column holds are a
field error on the form, never a 500 from the database."""

from __future__ import annotations

import pytest

from connectors.models import Connector
from connectors.tests.test_pages_manage import _create


@pytest.mark.parametrize("field", ["threshold", "pageviews_floor"])
@pytest.mark.parametrize("value", ["2147483648", "9" * 30])
def test_a_rule_number_beyond_the_column_range_is_a_field_error(client, tenant, field, value):
    client.force_login(tenant.admin)
    response = _create(client, tenant, **{field: value})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 2147483647." in response.content.decode()
    assert not Connector.objects.exists()


def test_the_largest_rule_number_the_column_holds_is_stored(client, tenant):
    client.force_login(tenant.admin)
    assert _create(client, tenant, threshold="2147483647").status_code == 302
    assert Connector.objects.get().threshold == 2147483647
