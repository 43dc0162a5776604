"""The preview page and the delivery log in Chromium: visitor strings stay text, no script
runs from them, the page breaks no Content-Security-Policy rule, nothing is sent."""

import time
from pathlib import Path

import pytest
from django.conf import settings

from connectors.models import Delivery
from connectors.tests.conftest import Newsroom, make_connector

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
XSS_TITLE = '<img src=x onerror="window.__pwned=1">Council & "mayor" <b>resign</b>'
CSP_SPY = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.effectiveDirective));
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_preview_and_the_delivery_log_render_visitor_strings_as_text(live_server, client, tenant, receiver,
                                                                          eager_celery, settings):
    from playwright.sync_api import sync_playwright

    from realtime.tests.browser import launch_chromium

    settings.NOWMETRIX_CONNECTOR_MAX_RETRIES = 0
    connector = make_connector(tenant, receiver.origin, kinds=("webhook", "slack", "telegram", "bluesky"),
                               threshold=3, stop_words=["horoscope"])
    room = Newsroom(tenant, now=time.time())
    room.readers("/council", 5, title=XSS_TITLE, i="https://cdn.planet.example/council.jpg")
    room.readers("/horoscope/today", 4, title="Your horoscope")
    room.readers("/weather", 1, title="Weather")
    room.traffic.snapshot()
    receiver.script(0, 0, 0, 0, 503)  # webhook, Slack, Telegram, Bluesky's session: fine; its post: refused
    from connectors import services

    services.connector_send_test(connector=connector)  # committed (transactional test): runs at once
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["failed", "sent", "sent", "sent"]
    requests_before = len(receiver.got())
    client.force_login(tenant.admin)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}
    ARTIFACTS.mkdir(exist_ok=True)
    base = f"{live_server.url}/settings/connectors/{connector.public_id}"

    # Playwright starts after the database writes: its event loop stops the ORM in this thread.
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([cookie])
        context.add_init_script(CSP_SPY)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}") or dialog.dismiss())

        page.goto(f"{base}/preview")
        match = page.locator(".card.match")
        assert match.count() == 1
        assert match.locator("strong").inner_text() == XSS_TITLE
        assert page.locator("pre.message").count() == 4
        assert '"title": "<img src=x' in page.locator("pre.message").first.inner_text()
        assert "stop word “horoscope”" in page.content()
        assert page.evaluate("window.__pwned") is None
        page.screenshot(path=str(ARTIFACTS / "connectors-preview.png"), full_page=True)
        preview_csp = page.evaluate("window.__csp")

        page.goto(f"{base}/")
        rows = page.locator("table.deliveries tbody tr")
        assert rows.count() == 4
        statuses = sorted(rows.nth(i).locator("td").nth(3).inner_text() for i in range(4))
        assert statuses == ["Failed", "Sent", "Sent", "Sent"]
        assert "503 HTTP 503" in page.locator("table.deliveries").inner_text()
        page.screenshot(path=str(ARTIFACTS / "connectors-deliveries.png"), full_page=True)
        detail_csp = page.evaluate("window.__csp")
        browser.close()

    assert errors == []
    assert preview_csp == [] and detail_csp == []
    assert len(receiver.got()) == requests_before  # browsing the preview sent nothing
