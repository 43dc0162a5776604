"""The stand-ins of the snippet's browser tests (test_snippet_*.py but the live ones): a
customer's site and NowMetrix, and the fixtures that give a test a browser context on them.

Independent of Django: two tiny threaded HTTP servers on 127.0.0.1 stand in for a customer's
site and for NowMetrix (which serves nm.js and records every request to /collect). Different
ports make them different origins, so the beacons are cross-origin as in production.
Every page's uncaught errors are collected and must be empty when the test ends.
A test module imports the fixtures it uses from here (once per module: the servers are).
"""

from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler

import pytest
from playwright.sync_api import Error as PlaywrightError

from realtime.ingest.snippet_body import served_snippet
from realtime.tests.recorder import Recorder

SNIPPET_BODY = served_snippet()  # as /nm.js serves it: without comments
UTM = "utm_source=newsletter&utm_medium=email&utm_campaign=launch"
TITLE = "Launch day in Zürich"
REFERRER = "https://news.example/item?id=42"
SCREEN_WIDTH = 1440

ARTICLE = """<!doctype html>
<html><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:image" content="https://cdn.planet.example/launch.jpg">
<meta name="author" content="Lois Lane">
<meta property="article:published_time" content="2025-11-20T08:00:00+00:00">
{stub}
<script defer src="{nowmetrix}/nm.js"{site_attr} data-heartbeat="1"></script>
</head><body><h1>Launch</h1><a id="away" href="/blank">away</a></body></html>
"""
QUEUE_STUB = """<script>
window.nowmetrix = window.nowmetrix || {q: [], event: function () { this.q.push(arguments); }};
nowmetrix.event('page', 'scroll', 'early');
</script>"""

# Counts calls to both transports synchronously, so "nothing was sent" needs no waiting.
SPY = """
window.__nmCalls = 0;
const beacon = navigator.sendBeacon.bind(navigator), fetch0 = window.fetch;
navigator.sendBeacon = (...a) => { window.__nmCalls++; return beacon(...a); };
window.fetch = (...a) => { window.__nmCalls++; return fetch0(...a); };
"""
# Headless pages are always visible; this lets a test hide one.
VISIBILITY = """
window.__nmHidden = false;
Object.defineProperty(Document.prototype, 'visibilityState',
  {configurable: true, get() { return window.__nmHidden ? 'hidden' : 'visible'; }});
"""


class Handler(BaseHTTPRequestHandler):
    """Serves the test pages and nm.js; every request is recorded by the Recorder."""

    server: Recorder

    def do_GET(self):
        self.server.record("GET", self.path, self.headers, b"")
        parts = self.path.split("?")[0].split("/")  # "/<variant>/<site>/<slug>"
        if self.path == "/nm.js":
            self.reply(200, "text/javascript; charset=utf-8", SNIPPET_BODY)
        elif len(parts) == 4 and parts[1] in ("a", "q", "n"):
            variant, site = parts[1], parts[2]
            html = ARTICLE.format(
                title=TITLE,
                stub=QUEUE_STUB if variant == "q" else "",
                nowmetrix=self.server.nowmetrix_origin,
                site_attr="" if variant == "n" else f' data-site="{site}"',
            )
            self.reply(200, "text/html; charset=utf-8", html.encode())
        elif self.path == "/blank":
            self.reply(200, "text/html; charset=utf-8", b"<!doctype html><title>Blank</title>")
        else:
            self.reply(404, "text/plain", b"not found")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.record("POST", self.path, self.headers, body)
        self.reply(204, None, b"")

    def do_OPTIONS(self):
        self.server.record("OPTIONS", self.path, self.headers, b"")
        self.reply(204, None, b"")

    def reply(self, status: int, content_type: str | None, body: bytes) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def servers():
    site, nowmetrix = Recorder(Handler), Recorder(Handler)
    site.nowmetrix_origin = nowmetrix.origin
    for server in (site, nowmetrix):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, nowmetrix
    for server in (site, nowmetrix):
        server.shutdown()
        server.server_close()


@pytest.fixture
def site_server(servers):
    return servers[0]


@pytest.fixture
def nowmetrix(servers):
    return servers[1]


@pytest.fixture
def tracker_id():
    """A fresh tracker ID a test, so late beacons of one test never count in another."""
    return f"T{uuid.uuid4().hex[:10]}"


@pytest.fixture
def context(chromium):
    """A browser context whose pages must raise no uncaught errors."""
    ctx = chromium.new_context(
        viewport={"width": 1280, "height": 720}, screen={"width": SCREEN_WIDTH, "height": 900}
    )
    errors: list[str] = []
    ctx.on("page", lambda page: page.on("pageerror", lambda exc: errors.append(str(exc))))
    yield ctx
    for page in ctx.pages:
        try:
            page.evaluate("0")  # deliver any pending pageerror events
        except PlaywrightError:  # a page still closing (page.close(run_before_unload=True))
            pass
    ctx.close()
    assert errors == [], "the host page saw uncaught errors"


def article_url(site_server, tracker_id: str, variant: str = "a", slug: str = "launch") -> str:
    return f"{site_server.origin}/{variant}/{tracker_id}/{slug}?{UTM}"


def of(tracker_id: str, event: str, **fields):
    """Predicate: a hit of `tracker_id` of type `event` whose fields include `fields`."""
    return lambda h: h.get("s") == tracker_id and h["e"] == event and fields.items() <= h.items()
