"""The live pages send a Content-Security-Policy: scripts only from our origin and never
inline, images from http(s), WebSockets to our origin."""

import base64
import hashlib
import re

import pytest


@pytest.fixture
def pages(tenant):
    return [f"/trackers/{tenant.tracker.public_id}/live", f"/trackers/{tenant.tracker.public_id}/live?wall=1", "/live/"]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_live_page_sends_the_policy(client, tenant, pages):
    client.force_login(tenant.admin)
    for url in pages:
        policy = directives(client.get(url))

        assert policy["script-src"] == ["'self'"], url
        assert policy["connect-src"] == ["'self'", "ws:", "wss:"]
        assert policy["img-src"] == ["'self'", "https:", "http:", "data:"]
        assert policy["style-src"][0] == "'self'"
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_every_script_of_the_pages_is_external_or_inert_json(client, tenant, pages):
    client.force_login(tenant.admin)
    for url in pages:
        html = client.get(url).content.decode()

        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
            assert 'type="application/json"' in attrs or ("src=" in attrs and not body.strip()), (url, attrs)


def test_inline_styles_are_allowed_only_by_their_exact_hash(client, tenant, pages):
    client.force_login(tenant.admin)
    response = client.get(pages[0])
    styles = re.findall(rb"<style>(.*?)</style>", response.content, re.DOTALL)

    expected = {f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'" for body in styles}
    assert set(directives(response)["style-src"][1:]) == expected
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
