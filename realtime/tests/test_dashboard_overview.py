"""The account-wide live overview page: every tracker the user may open, and nothing else."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from trackers import services


def initial_frames(response) -> list[dict]:
    html = response.content.decode()
    match = re.search(r'<script type="application/json" id="nm-initial">(.*?)</script>', html, re.DOTALL)
    return json.loads(match.group(1))


def test_the_overview_page_lists_every_tracker_an_admin_may_open_with_its_summary(client, tenant):
    second = services.tracker_create(account=tenant.account, name="Planet Sport", hosts=["sport.planet.example"])
    client.force_login(tenant.admin)

    response = client.get("/live/")

    content = response.content.decode()
    assert tenant.tracker.name in content and second.name in content
    assert {f["summary"]["site"] for f in initial_frames(response)} == {tenant.tracker.public_id, second.public_id}
    assert 'data-ws-path="/ws/overview/"' in content


def test_an_editor_sees_only_the_trackers_they_were_given(client, tenant, editor):
    hidden = services.tracker_create(account=tenant.account, name="Planet Archive", hosts=["archive.planet.example"])
    client.force_login(editor)

    response = client.get("/live/")

    assert tenant.tracker.name.encode() in response.content
    assert hidden.name.encode() not in response.content
    assert [f["summary"]["site"] for f in initial_frames(response)] == [tenant.tracker.public_id]


def test_another_accounts_trackers_never_appear(client, tenant, outsider):
    client.force_login(outsider.admin)

    response = client.get("/live/")

    assert tenant.tracker.name.encode() not in response.content
    assert tenant.tracker.public_id.encode() not in response.content


def test_the_overview_pages_query_count_does_not_grow_with_the_trackers(client, tenant):
    client.force_login(tenant.admin)
    with CaptureQueriesContext(connection) as one:
        client.get("/live/")
    for n in range(4):
        services.tracker_create(account=tenant.account, name=f"Planet {n}", hosts=[f"p{n}.planet.example"])
    with CaptureQueriesContext(connection) as five:
        client.get("/live/")

    assert len(five) == len(one)
