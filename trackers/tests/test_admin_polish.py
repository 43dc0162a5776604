"""The layout's favicon and navigation: /favicon.ico answers, pages link the icon, and Admins
(only) see the links to the API docs and the account settings."""

import re


def test_favicon_ico_is_served_and_every_page_links_an_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response["Cache-Control"]
    html = client.get("/login").content.decode()
    svg = re.search(r'<link rel="icon" href="([^"]+\.svg)"', html).group(1)
    assert b"<svg" in b"".join(client.get(svg).streaming_content)
    assert '<link rel="icon" href="/favicon.ico"' in html


def test_admins_see_api_docs_and_settings_in_the_navigation(client, tenant):
    client.force_login(tenant.admin)
    nav = re.search(r'<nav class="main".*?</nav>', client.get("/trackers/").content.decode(), re.DOTALL).group(0)

    assert '<a href="/docs/api">API docs</a>' in nav
    assert 'href="/account/settings"' in nav


def test_editors_do_not_see_admin_links(client, tenant, editor):
    client.force_login(editor)
    nav = re.search(r'<nav class="main".*?</nav>', client.get("/trackers/").content.decode(), re.DOTALL).group(0)

    assert "/docs/api" not in nav
    assert "/account/settings" not in nav


def test_everyone_signed_in_has_a_link_to_change_their_password(client, tenant, editor):
    client.force_login(editor)
    assert 'href="/account/password"' in client.get("/trackers/").content.decode()
