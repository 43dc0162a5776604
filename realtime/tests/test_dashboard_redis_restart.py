"""The live dashboard across a Redis restart, in headless Chromium against the real stack: a
private redis-server, uvicorn and a Celery worker with beat, as under `make run`.

While Redis is away, a reconnecting dashboard is closed with 4503: it keeps its numbers, says
they are stale and retries with back-off; when Redis is back it goes live again and shows new
numbers. Screenshots land in test-artifacts/."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from realtime.tests.redis_outage import PrivateRedis
from realtime.tests.browser import log_in
from realtime.tests.servers import manage, start_celery_worker, start_uvicorn
from realtime.tests.test_dashboard_browser import EMAIL, PASSWORD, SETUP, IPS, screenshot, send_hit
from realtime.tests.traffic import DESKTOP_CHROME, IPHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPUBLISH = "from realtime import services; services.tracker_configs_publish_all()"
LIVE_TIMEOUT_MS = 15_000  # a Celery tick every second, a reconnect within the back-off


@pytest.fixture(scope="module")
def stack():
    redis = PrivateRedis()
    tmp = Path(tempfile.mkdtemp(prefix="nm-redis-restart-"))
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "REDIS_URL": redis.url, "CELERY_BROKER_URL": redis.url}
    manage(env, "migrate", "--noinput")
    out = manage(env, "shell", "-c", SETUP % {"email": EMAIL, "password": PASSWORD})
    sites = json.loads(re.search(r"^SITES=(.*)$", out, re.MULTILINE).group(1))
    server = start_uvicorn(env)
    worker = start_celery_worker(env)
    yield server, sites, redis, env
    worker.stop()
    server.stop()
    redis.stop()


def test_the_dashboard_says_its_numbers_are_stale_while_redis_is_away_then_goes_live_again(stack, chromium):
    server, sites, redis, env = stack
    site = sites["main"]
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    closes: list[int] = []
    sockets = []

    def through_proxy(ws):  # a pass-through the test can cut, like a dropped connection
        server_side = ws.connect_to_server()

        def server_closed(code, reason):  # a close handler replaces Playwright's forwarding of it
            closes.append(code)
            ws.close(code=code, reason=reason)

        server_side.on_close(server_closed)
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/ws/trackers/"), through_proxy)
    log_in(page, EMAIL, PASSWORD)
    page.goto(f"/trackers/{site}/live")
    expect(page.locator("#nm-state")).to_have_text("Live")
    for ip in IPS[:3]:
        send_hit(server, site, "planet.example", "/before", ip=ip, ua=DESKTOP_CHROME, title="Before the outage")
    expect(page.locator("#nm-total")).to_have_text("3", timeout=LIVE_TIMEOUT_MS)

    redis.stop()
    sockets[-1].close(code=1001, reason="dropped by the test")  # the page reconnects at once

    expect(page.locator("#nm-status")).to_have_attribute("data-state", "stale", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#nm-banner")).to_contain_text("Live updates are paused")
    expect(page.locator("#nm-total")).to_have_text("3")  # the last numbers stay, marked stale
    assert 4503 in closes
    page.wait_for_timeout(300)
    screenshot(page, "dashboard-redis-away.png")

    redis.restart()
    manage(env, "shell", "-c", REPUBLISH)  # as the minutely republish does after a restart
    expect(page.locator("#nm-status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#nm-banner")).to_be_hidden()
    # The restarted Redis is empty (no persistence): the new numbers are the new visitors.
    # (Ingest's first write after a restart can still fail on a stale pooled connection and
    # lose that hit: the no-loss work's to fix, so this test does not count on both hits.)
    for ip in IPS[3:5]:
        send_hit(server, site, "planet.example", "/after", ip=ip, ua=IPHONE, title="After the outage")
    expect(page.locator("#nm-pages .nm-page-title")).to_have_text("After the outage", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#nm-total")).to_have_text(re.compile(r"^[12]$"))
    page.wait_for_timeout(1600)
    screenshot(page, "dashboard-redis-back.png")
    context.close()
    assert errors == []
