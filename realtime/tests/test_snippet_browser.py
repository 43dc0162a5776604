"""The tracking snippet (realtime/ingest/snippet/nm.js) in a real Chromium.

Independent of Django: two tiny threaded HTTP servers on 127.0.0.1 stand in for a customer's
site and for NowMetrix (which serves nm.js and records every request to /collect). Different
ports make them different origins, so the beacons are cross-origin as in production.
Every page's uncaught errors are collected and must be empty when the test ends.
"""

from __future__ import annotations

import datetime
import gzip
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler

import pytest
from playwright.sync_api import Error as PlaywrightError

from realtime.ingest.snippet_body import served_snippet
from realtime.tests.recorder import Recorder

pytestmark = pytest.mark.browser

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


def test_the_snippet_is_at_most_1500_bytes_gzipped():
    assert len(gzip.compress(SNIPPET_BODY, compresslevel=9)) <= 1500


def test_the_snippet_sends_a_pageview_with_every_field(context, site_server, nowmetrix, tracker_id):
    url = article_url(site_server, tracker_id)
    context.new_page().goto(url, referer=REFERRER)

    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))

    assert pageview == {
        "s": tracker_id,
        "e": "pv",
        "u": url,
        "t": TITLE,
        "r": REFERRER,
        "w": SCREEN_WIDTH,
        "i": "https://cdn.planet.example/launch.jpg",
        "a": "Lois Lane",
        "p": "2025-11-20T08:00:00+00:00",
    }


def test_the_snippet_posts_text_plain_without_preflight_or_cookies(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.goto(article_url(site_server, tracker_id))
    nowmetrix.wait_for_hits(of(tracker_id, "pv"))

    request = nowmetrix.collect_requests(tracker_id)[0]
    assert request["headers"]["Content-Type"].startswith("text/plain")
    assert request["headers"]["Origin"] == site_server.origin  # cross-origin, as in production
    assert "Cookie" not in request["headers"]
    assert not [r for r in nowmetrix.requests if r["method"] == "OPTIONS"]
    assert context.cookies() == []
    # The only thing stored is the date of the visit.
    storage = page.evaluate("Object.assign({}, localStorage)")
    assert list(storage) == ["nm_last"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", storage["nm_last"])


def test_the_snippet_sends_heartbeats_with_url_and_title(context, site_server, nowmetrix, tracker_id):
    url = article_url(site_server, tracker_id)
    context.new_page().goto(url)

    heartbeats = nowmetrix.wait_for_hits(of(tracker_id, "hb"), count=2)

    assert heartbeats[0] == {"s": tracker_id, "e": "hb", "u": url, "t": TITLE}


def test_heartbeats_pause_while_the_page_is_hidden(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.add_init_script(SPY + VISIBILITY)
    page.clock.install()  # drive the heartbeat timer instead of waiting for it
    page.goto(article_url(site_server, tracker_id))
    calls = lambda: page.evaluate("window.__nmCalls")  # noqa: E731
    assert calls() == 1  # the pageview

    page.clock.run_for(3_000)
    assert calls() == 1 + 3

    page.evaluate("window.__nmHidden = true")
    page.clock.run_for(60_000)
    assert calls() == 1 + 3

    page.evaluate("window.__nmHidden = false")
    page.clock.run_for(1_000)
    assert calls() == 1 + 3 + 1
    nowmetrix.wait_for_hits(of(tracker_id, "hb"), count=4)


def test_history_navigation_sends_a_pageview_with_the_previous_url_as_referrer(
    context, site_server, nowmetrix, tracker_id
):
    first = article_url(site_server, tracker_id)
    second = f"{site_server.origin}/a/{tracker_id}/second?tab=2"
    page = context.new_page()
    page.add_init_script(SPY)
    page.goto(first)
    nowmetrix.wait_for_hits(of(tracker_id, "pv", u=first))

    page.evaluate("history.pushState({}, '', '/a/%s/second?tab=2')" % tracker_id)
    nowmetrix.wait_for_hits(of(tracker_id, "pv", u=second, r=first))

    # A change of hash only is the same page.
    before = page.evaluate("window.__nmCalls")
    page.evaluate("history.pushState({}, '', '#comments')")
    assert page.evaluate("window.__nmCalls") == before

    page.go_back()  # popstate back to the first URL
    page.go_back()
    nowmetrix.wait_for_hits(of(tracker_id, "pv", u=first, r=second))


@pytest.mark.parametrize("leave", ["close", "navigate"])
def test_leaving_the_page_sends_a_leave(context, site_server, nowmetrix, tracker_id, leave):
    url = article_url(site_server, tracker_id)
    page = context.new_page()
    page.goto(url)
    nowmetrix.wait_for_hits(of(tracker_id, "pv"))

    if leave == "close":
        page.close(run_before_unload=True)
    else:
        page.click("#away")

    [hit] = nowmetrix.wait_for_hits(of(tracker_id, "lv"))
    assert hit == {"s": tracker_id, "e": "lv", "u": url, "t": TITLE}


def test_the_snippet_sends_custom_events(context, site_server, nowmetrix, tracker_id):
    url = article_url(site_server, tracker_id)
    page = context.new_page()
    page.goto(url)

    page.evaluate("nowmetrix.event('video', 'play', 'intro')")

    [hit] = nowmetrix.wait_for_hits(of(tracker_id, "ev"))
    assert hit == {"s": tracker_id, "e": "ev", "u": url, "t": TITLE, "c": "video", "x": "play", "l": "intro"}


def test_events_queued_before_the_snippet_loads_are_replayed(context, site_server, nowmetrix, tracker_id):
    context.new_page().goto(article_url(site_server, tracker_id, variant="q"))

    nowmetrix.wait_for_hits(of(tracker_id, "ev", c="page", x="scroll", l="early"))


def test_a_second_load_in_the_same_browser_is_a_returning_visit(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.goto(article_url(site_server, tracker_id))
    [first] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))

    page.reload()
    second = nowmetrix.wait_for_hits(of(tracker_id, "pv"), count=2)[1]

    assert "v" not in first
    assert second["v"] == 1
    assert page.evaluate("localStorage.nm_last") == datetime.datetime.now(datetime.UTC).date().isoformat()


@pytest.mark.parametrize(
    "signal",
    [
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})",
        "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})",
    ],
    ids=["global-privacy-control", "do-not-track"],
)
def test_privacy_signals_are_reported_for_the_server_to_decide(
    context, site_server, nowmetrix, tracker_id, signal
):
    page = context.new_page()
    page.add_init_script(signal)
    page.goto(article_url(site_server, tracker_id))

    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    assert pageview["d"] == 1


def test_without_privacy_signals_there_is_no_d_flag(context, site_server, nowmetrix, tracker_id):
    context.new_page().goto(article_url(site_server, tracker_id))

    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    assert "d" not in pageview


def test_without_data_site_nothing_is_sent(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.add_init_script(SPY)
    page.clock.install()
    page.goto(article_url(site_server, tracker_id, variant="n"))

    page.clock.run_for(60_000)
    page.evaluate("nowmetrix.event('video', 'play', 'intro'); history.pushState({}, '', '/elsewhere')")
    page.evaluate("dispatchEvent(new PageTransitionEvent('pagehide'))")
    assert page.evaluate("window.__nmCalls") == 0

    # Leave for real, then load a tracked page: its pageview arrives after anything the
    # untracked page could have sent.
    page.goto(article_url(site_server, "sentinel" + tracker_id))
    nowmetrix.wait_for_hits(of("sentinel" + tracker_id, "pv"))
    assert [h for h in nowmetrix.hits() if "s" not in h] == []


def test_the_snippet_falls_back_to_fetch_without_send_beacon(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.add_init_script("delete Navigator.prototype.sendBeacon")
    page.goto(article_url(site_server, tracker_id))

    nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    request = nowmetrix.collect_requests(tracker_id)[0]
    assert request["headers"]["Content-Type"].startswith("text/plain")
    assert not [r for r in nowmetrix.requests if r["method"] == "OPTIONS"]


def test_blocked_storage_does_not_break_the_page_or_the_pageview(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }})"
    )
    page.goto(article_url(site_server, tracker_id))

    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    assert "v" not in pageview


IPAD_INIT = """
Object.defineProperty(Navigator.prototype, 'platform', {get: () => 'MacIntel'});
Object.defineProperty(Navigator.prototype, 'maxTouchPoints', {get: () => 5});
"""


def test_on_a_touch_screen_under_a_mac_platform_every_hit_carries_the_ipad_hint(
        context, site_server, nowmetrix, tracker_id):
    # iPadOS Safari as the page sees it: platform "MacIntel", five touch points.
    context.add_init_script(IPAD_INIT)
    page = context.new_page()
    page.goto(article_url(site_server, tracker_id))
    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    page.evaluate("nowmetrix.event('video', 'play')")
    [event] = nowmetrix.wait_for_hits(of(tracker_id, "ev"))
    assert pageview["m"] == 1
    assert event["m"] == 1


def test_a_desktop_without_touch_sends_no_hint(context, site_server, nowmetrix, tracker_id):
    context.new_page().goto(article_url(site_server, tracker_id))
    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    assert "m" not in pageview


def android_hints(page, model: str, mobile: bool) -> None:
    """Chromium on an Android device as the page's navigator.userAgentData sees it (CDP)."""
    ua = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
          + ("Mobile " if mobile else "") + "Safari/537.36")
    page.context.new_cdp_session(page).send("Emulation.setUserAgentOverride", {
        "userAgent": ua,
        "userAgentMetadata": {"platform": "Android", "platformVersion": "14.0.0", "architecture": "",
                              "model": model, "mobile": mobile,
                              "brands": [{"brand": "Chromium", "version": "131"}]},
    })


@pytest.mark.parametrize("model, mobile, flag", [("TB-X605L", True, "1"), ("SM-X710", False, "0")])
def test_on_android_chromium_every_hit_carries_the_model_and_the_mobile_hint(
        context, site_server, nowmetrix, tracker_id, model, mobile, flag):
    page = context.new_page()
    android_hints(page, model, mobile)
    page.goto(article_url(site_server, tracker_id, variant="q"))
    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    page.evaluate("nowmetrix.event('video', 'play')")
    events = nowmetrix.wait_for_hits(of(tracker_id, "ev"), count=2)
    assert (pageview["k"], pageview["o"]) == (model, flag)
    assert sorted((e["x"], e["k"], e["o"]) for e in events) == [("play", model, flag), ("scroll", model, flag)]


def test_a_desktop_chromium_sends_no_android_hints(context, site_server, nowmetrix, tracker_id):
    context.new_page().goto(article_url(site_server, tracker_id))
    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    assert "k" not in pageview and "o" not in pageview


NO_UA_DATA_ANDROID = """
Object.defineProperty(Navigator.prototype, 'userAgentData', {get: () => undefined});
Object.defineProperty(Navigator.prototype, 'userAgent',
  {get: () => 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0'});
Object.defineProperty(Screen.prototype, 'width', {get: () => %d});
Object.defineProperty(Screen.prototype, 'height', {get: () => %d});
"""


@pytest.mark.parametrize("width, height, flag", [
    (412, 915, "1"), (915, 412, "1"),  # a phone, upright or turned
    (800, 1280, "0"), (1280, 800, "0"),  # a tablet, upright or turned
])
def test_an_android_browser_without_client_hints_tells_a_tablet_by_its_smaller_side(
        context, site_server, nowmetrix, tracker_id, width, height, flag):
    page = context.new_page()
    page.add_init_script(NO_UA_DATA_ANDROID % (width, height))
    page.goto(article_url(site_server, tracker_id))
    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    assert pageview["o"] == flag and "k" not in pageview
