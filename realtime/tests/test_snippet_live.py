"""The snippet in a real browser against the real server: its pageview, heartbeats, SPA
navigation and leave reach the live state."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright

from realtime import keys, live_state, services
from realtime.tests.browser import launch_chromium
from realtime.tests.servers import start_uvicorn, wait_until
from realtime.tests.traffic import DESKTOP_CHROME
from trackers import services as tracker_services

PAGE = """<!doctype html><html><head><title>Live test page</title>
<meta property="og:image" content="https://cdn.example/cover.jpg">
<script defer src="{origin}/nm.js" data-site="{site}" data-heartbeat="1"></script>
</head><body><h1>Hello</h1></body></html>"""


class PageServer(ThreadingHTTPServer):
    """Serves the customer's page (on 127.0.0.1, a host the tracker allows)."""

    def __init__(self, html: str):
        self.html = html.encode()
        super().__init__(("127.0.0.1", 0), PageHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class PageHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.server.html)

    def log_message(self, *args):
        pass


def _snapshot(site):
    return services.tracker_tick(live_state.tracker_config_get(site), time.time(), announce=False).realtime


@pytest.mark.slow
@pytest.mark.browser
def test_pageview_heartbeat_spa_navigation_and_leave_arrive(tenant):
    tracker = tracker_services.tracker_create(account=tenant.account, name="Local", hosts=["127.0.0.1"])
    site = tracker.public_id
    with start_uvicorn() as server, sync_playwright() as pw:
        pages = PageServer(PAGE.format(origin=server.url, site=site))
        browser = launch_chromium(pw)
        try:
            # Headless Chromium announces itself as HeadlessChrome, which ingest drops as a bot.
            page = browser.new_page(user_agent=DESKTOP_CHROME)
            page.goto(f"http://127.0.0.1:{pages.server_address[1]}/article?utm_source=nl&utm_medium=email")
            snap = wait_until(lambda: (s := _snapshot(site))["total_pageviews_today"] == 1 and s, 10,
                              0.1, "the pageview")
            assert snap["total_realtime"] == 1
            assert snap["top_pages"][0]["url"] == "/article"
            assert snap["top_pages"][0]["title"] == "Live test page"
            assert snap["top_pages"][0]["og_image"] == "https://cdn.example/cover.jpg"
            assert snap["sources_top5"][0]["medium"] == "newsletter"

            active = keys.tracker_key(site, keys.ACTIVE)
            first_seen = live_state.client().zrange(active, 0, -1, withscores=True)[0][1]
            wait_until(lambda: live_state.client().zrange(active, 0, -1, withscores=True)[0][1] > first_seen, 10,
                       0.1, "a heartbeat")

            page.evaluate("history.pushState({}, '', '/second-story')")
            snap = wait_until(lambda: (s := _snapshot(site))["total_pageviews_today"] == 2 and s, 10, 0.1,
                              "the SPA pageview")
            assert [(p["url"], p["realtime_users"]) for p in snap["top_pages"]] == [("/second-story", 1)]
            assert snap["sources_top5"][0]["medium"] == "newsletter"  # the visit keeps its source

            page.close(run_before_unload=True)
            wait_until(lambda: _snapshot(site)["total_realtime"] == 0, 10, 0.1, "the leave signal")
        finally:
            browser.close()
            pages.shutdown()
