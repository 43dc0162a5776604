"""The dashboard page: starts from the current snapshot embedded as inert JSON, links the wall
mode, and shows Admins their extra links."""

import json
import re
import time

from realtime.payloads import DELTA_FORMAT
from realtime.tests.traffic import Traffic

XSS_TITLE = '</script><img src=x onerror="alert(1)">'


def dashboard(tenant, query: str = "") -> str:
    return f"/trackers/{tenant.tracker.public_id}/live{query}"


def embedded_frame(response) -> dict:
    html = response.content.decode()
    match = re.search(r'<script type="application/json" id="nm-initial">(.*?)</script>', html, re.DOTALL)
    assert match, "the page embeds its initial frame"
    return json.loads(match.group(1))


def test_the_dashboard_page_embeds_the_current_snapshot_frame(client, tenant):
    traffic = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    traffic.hit(path="/story", t="Story")
    built = traffic.snapshot()
    client.force_login(tenant.admin)

    frame = embedded_frame(client.get(dashboard(tenant)))

    assert frame["type"] == "snapshot"
    assert frame["realtime"] == built
    assert frame["extras"]["ever_hit"] is True


def test_visitor_text_cannot_close_the_json_element(client, tenant):
    traffic = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    traffic.hit(path="/x", t=XSS_TITLE)
    traffic.snapshot()
    client.force_login(tenant.admin)

    response = client.get(dashboard(tenant))

    assert XSS_TITLE.encode() not in response.content
    assert b"<img src=x" not in response.content
    assert embedded_frame(response)["realtime"]["top_pages"][0]["title"] == XSS_TITLE


def test_a_tracker_without_any_snapshot_starts_from_an_empty_one(client, tenant):
    client.force_login(tenant.admin)

    frame = embedded_frame(client.get(dashboard(tenant)))

    assert frame["realtime"]["total_realtime"] == 0
    assert frame["extras"]["ever_hit"] is False


def test_wall_mode_is_marked_on_the_page(client, tenant):
    client.force_login(tenant.admin)

    assert b"nm-dash nm-wall" in client.get(dashboard(tenant, "?wall=1")).content
    assert b"nm-wall" not in client.get(dashboard(tenant)).content


def test_admins_get_the_install_and_dropped_hits_links_editors_do_not(client, tenant, editor):
    tracker = tenant.tracker.public_id
    client.force_login(tenant.admin)
    admin_page = client.get(dashboard(tenant)).content.decode()
    client.force_login(editor)
    editor_page = client.get(dashboard(tenant)).content.decode()

    assert f"/trackers/{tracker}/install" in admin_page and f"/trackers/{tracker}/drops" in admin_page
    assert f"/trackers/{tracker}/install" not in editor_page and f"/trackers/{tracker}/drops" not in editor_page


def test_the_dashboard_page_points_at_the_trackers_socket(client, tenant):
    client.force_login(tenant.admin)

    content = client.get(dashboard(tenant)).content.decode()

    assert f'data-ws-path="/ws/trackers/{tenant.tracker.public_id}/?deltas={DELTA_FORMAT}"' in content
