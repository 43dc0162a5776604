"""A tracker's dropped-hit counters: a week by reason, for Admins of its account."""

import time

from realtime.tests.traffic import GOOGLEBOT, Traffic


def drops(tenant) -> str:
    return f"/trackers/{tenant.tracker.public_id}/drops"


def test_admins_see_todays_drops_by_reason(client, tenant):
    traffic = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    traffic.hit(ua=GOOGLEBOT)
    traffic.hit(ua=GOOGLEBOT)
    Traffic(tenant.tracker.public_id, "elsewhere.example", time.time()).hit()
    client.force_login(tenant.admin)

    response = client.get(drops(tenant))

    assert response.status_code == 200
    today = response.context["rows"][0]
    assert today["counts"] == [2, 0, 1, 0, 0]  # bots, DNT, host not allowed, inactive, spool overflow
    assert today["total"] == 3
    assert len(response.context["rows"]) == 7


def test_editors_are_refused(client, tenant, editor):
    client.force_login(editor)

    assert client.get(drops(tenant)).status_code == 403


def test_another_tenants_admin_gets_404(client, tenant, outsider):
    client.force_login(outsider.admin)

    assert client.get(drops(tenant)).status_code == 404
