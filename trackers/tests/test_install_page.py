import html
import re

from trackers import services


def _textarea(content: str, element_id: str) -> str:
    match = re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', content, re.S)
    assert match, element_id
    return html.unescape(match.group(1))


def test_the_install_page_shows_the_snippet_and_pixel_for_this_tracker_and_origin(client, tenant):
    client.force_login(tenant.admin)
    tid = tenant.tracker.public_id
    content = client.get(f"/trackers/{tid}/install").content.decode()
    assert _textarea(content, "snippet") == f'<script defer src="http://testserver/nm.js" data-site="{tid}"></script>'
    assert _textarea(content, "pixel") == (
        f'<noscript><img src="http://testserver/pixel.gif?s={tid}&e=pv" alt="" width="1" height="1" '
        'referrerpolicy="no-referrer-when-downgrade"></noscript>'
    )
    # Shown as text to copy, never as live markup on the page.
    assert 'data-site="' + tid + '"></script>' not in content


def test_the_origin_follows_the_scheme_and_host_nowmetrix_is_reached_at(client, tenant, settings):
    settings.ALLOWED_HOSTS = ["nm.planet.example"]
    client.force_login(tenant.admin)
    content = client.get(f"/trackers/{tenant.tracker.public_id}/install", HTTP_HOST="nm.planet.example", secure=True
                         ).content.decode()
    assert _textarea(content, "snippet").startswith('<script defer src="https://nm.planet.example/nm.js"')


def test_the_install_page_shows_the_numeric_view_id_for_the_ga_compatible_api(client, tenant):
    client.force_login(tenant.admin)
    content = client.get(f"/trackers/{tenant.tracker.public_id}/install").content.decode()
    view_id = tenant.tracker.pk
    assert f"ga:{view_id}" in content
    assert f"properties/{view_id}" in content


def test_the_install_page_warns_when_the_tracker_is_inactive(client, tenant):
    services.tracker_deactivate(tracker=tenant.tracker)
    client.force_login(tenant.admin)
    content = client.get(f"/trackers/{tenant.tracker.public_id}/install").content.decode()
    assert "This tracker is inactive" in content
