"""A customer's page with the real snippet, served against the real server: the setting of the
end-to-end snippet tests (test_snippet_live.py, test_client_hints_live.py)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

from playwright.sync_api import Browser, sync_playwright

from realtime.tests.browser import launch_chromium
from realtime.tests.servers import start_uvicorn
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

    @property
    def article_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/article"


class PageHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.server.html)

    def log_message(self, *args):
        pass


@contextmanager
def snippet_page(tenant) -> Iterator[tuple[str, str, Browser]]:
    """A new tracker of the tenant's account allowing 127.0.0.1, the app under uvicorn, PAGE with
    that tracker's snippet, and Chromium: yields (the tracker's public id, the page's URL, the
    browser). The tracker is created first: the ORM refuses to run while Playwright's sync API
    is open in this thread (realtime/tests/conftest.py)."""
    tracker = tracker_services.tracker_create(account=tenant.account, name="Local", hosts=["127.0.0.1"])
    with start_uvicorn() as server, sync_playwright() as pw:
        pages = PageServer(PAGE.format(origin=server.url, site=tracker.public_id))
        browser = launch_chromium(pw)
        try:
            yield tracker.public_id, pages.article_url, browser
        finally:
            browser.close()
            pages.shutdown()
            pages.server_close()
