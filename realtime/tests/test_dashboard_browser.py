"""The live dashboard end to end, in headless Chromium against the real stack.

uvicorn runs the real ASGI app (ingest, Django, Channels) as a subprocess on a temporary
SQLite database, with this test run's Redis key prefix. Hits go through the real POST /collect;
the test process plays the Celery beat (`services.tick()` builds, stores and announces
snapshots over the real Redis channel layer). Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from realtime import keys, live_state, services
from realtime.tests.browser import logged_in_page
from realtime.tests.servers import BASE_DIR, app_with_setup, wait_until
from realtime.tests.traffic import DESKTOP_CHROME, IPAD, IPHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = BASE_DIR / "test-artifacts"
EMAIL, PASSWORD = "lois@planet.example", "correct horse battery staple"
XSS_TITLE = '<img src=x onerror="window.__xss = 1">'
SNAPSHOT_TO_SCREEN_SECS = 3
SETUP = """
import json
from trackers import services
admin, _ = services.user_get_or_create(email=%(email)r, password=%(password)r)
account = services.account_create(name="Daily Planet", owner=admin, timezone_name="Europe/Zurich")
sites = {}
for key, name, host in [("main", "The Daily Planet", "planet.example"), ("sport", "Planet Sport", "sport.planet.example"),
                        ("local", "Metropolis Local", "local.planet.example"), ("new", "Planet Podcasts", "pods.planet.example")]:
    sites[key] = services.tracker_create(account=account, name=name, hosts=[host]).public_id
print("SITES=" + json.dumps(sites))
"""

# Distinct visitors are distinct (IP, User-Agent) pairs; these IPs resolve to known places.
IPS = ["92.104.0.1", "194.230.144.1", "8.8.8.8", "81.2.69.142", "88.198.0.1", "82.66.0.1", "210.140.92.183",
       "2.16.0.1", "145.131.0.1", "1.1.1.1", "200.147.67.142", "212.58.244.20", "92.104.0.2", "92.104.0.3"]
STORIES = [  # path, title, thumbnail, [(referrer or utm query, device)...]
    ("/2026/11/23/tram-line-approved", "City council approves the new tram line after a decade of debate", "tram", [
        ("https://www.google.com/", DESKTOP_CHROME), ("https://www.google.ch/", IPHONE), ("https://t.co/x1", IPHONE),
        ("?utm_source=morning-briefing&utm_medium=email&utm_campaign=daily-edition", DESKTOP_CHROME),
        ("", DESKTOP_CHROME)]),
    ("/live/election-night", "Election night live: results as they come in", "vote", [
        ("https://www.google.com/", IPAD), ("", DESKTOP_CHROME), ("https://news.ycombinator.com/item?id=1", DESKTOP_CHROME),
        ("https://www.facebook.com/", IPHONE)]),
    ("/sport/derby-stoppage-time", "FC Zürich win the derby in stoppage time", "ball", [
        ("https://duckduckgo.com/", DESKTOP_CHROME), ("", IPHONE)]),
    ("/weather/first-snow", "Weather: first snow expected in the Alps this weekend", None, [("", DESKTOP_CHROME)]),
    ("/comments/42", XSS_TITLE, None, [("", DESKTOP_CHROME)]),
]
TOTAL_VISITORS = sum(len(readers) for *_rest, readers in STORIES)


# --- servers ----------------------------------------------------------------------------------


class Thumbnails(ThreadingHTTPServer):
    """Stands in for a newspaper's image CDN: og:image thumbnails as small SVGs."""

    daemon_threads = True
    COLOURS = {"tram": ("#0ea5e9", "#1e3a8a"), "vote": ("#f43f5e", "#4c1d95"), "ball": ("#22c55e", "#14532d")}

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _ThumbnailHandler)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/img/{name}.svg"


class _ThumbnailHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1].removesuffix(".svg")
        top, bottom = Thumbnails.COLOURS.get(name, ("#64748b", "#0f172a"))
        body = (f'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="100"><defs><linearGradient id="g" '
                f'x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{top}"/><stop offset="1" '
                f'stop-color="{bottom}"/></linearGradient></defs><rect width="160" height="100" fill="url(#g)"/>'
                f'<circle cx="120" cy="30" r="18" fill="#fff" opacity=".25"/><rect x="14" y="66" width="90" '
                f'height="8" rx="4" fill="#fff" opacity=".6"/></svg>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stack():
    """The app under uvicorn on its own SQLite file, with an account and four trackers."""
    thumbs = Thumbnails()
    threading.Thread(target=thumbs.serve_forever, daemon=True).start()
    with app_with_setup(SETUP % {"email": EMAIL, "password": PASSWORD}, name="dashboard") as (server, out, _env):
        yield server, json.loads(re.search(r"^SITES=(.*)$", out, re.MULTILINE).group(1)), thumbs
    thumbs.shutdown()
    thumbs.server_close()


# Records Content-Security-Policy violations, so a test can tell which ones happened.
CSP_SPY = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile}));
"""


@pytest.fixture
def page(stack, chromium):
    """A logged-in browser page; it must raise no uncaught errors."""
    server, _sites, _thumbs = stack
    with logged_in_page(chromium, server.url, EMAIL, PASSWORD, viewport={"width": 1440, "height": 900},
                        init_script=CSP_SPY) as page:
        yield page


# --- helpers --------------------------------------------------------------------------------------


def send_hit(server, site: str, host: str, path: str, *, ip: str, ua: str, title: str = "", image: str = "",
             referrer: str = "") -> None:
    """One pageview through the real POST /collect, as the snippet sends it."""
    query = referrer if referrer.startswith("?") else ""
    body = {"s": site, "e": "pv", "u": f"https://{host}{path}{query}", "t": title, "w": 1280}
    if image:
        body["i"] = image
    if referrer and not query:
        body["r"] = referrer
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("POST", "/collect", json.dumps(body).encode(),
                     {"Content-Type": "text/plain", "User-Agent": ua, "X-Forwarded-For": ip})
        assert conn.getresponse().status == 204
    finally:
        conn.close()


def tick_until(site: str, predicate) -> float:
    """Run the tick (as Celery beat does, every second) until the tracker's snapshot satisfies
    `predicate`; returns when that snapshot was built (ingest flushes every 20 ms).

    The tick runs on a worker thread, as in Celery: Playwright's sync API keeps an event loop
    in this thread, and the tick's channel-layer send may not run inside one."""
    def built():
        with ThreadPoolExecutor(1) as pool:
            pool.submit(services.tick).result()
        stored = live_state.snapshot_get(site)
        return stored is not None and predicate(json.loads(stored.realtime)) and time.monotonic()

    return wait_until(built, timeout=20, interval=0.1, message=f"a snapshot of {site}")


def seed_last_half_hour(site: str) -> None:
    """Minute buckets for the 29 minutes before now, as earlier traffic would have left them
    (ingest writes pageviews per minute, the snapshot builder active users per minute)."""
    now_minute = int(time.time() // 60)
    pageviews = {str(now_minute - ago): 18 + (ago * 7) % 13 + (29 - ago) for ago in range(1, 30)}
    active = {str(now_minute - ago): 6 + (ago * 5) % 7 + (29 - ago) // 3 for ago in range(1, 30)}
    pipe = live_state.client().pipeline()
    pipe.hset(keys.tracker_key(site, keys.MINUTE_PAGEVIEWS), mapping=pageviews)
    pipe.hset(keys.tracker_key(site, keys.MINUTE_ACTIVE), mapping=active)
    pipe.execute()


def newsroom_traffic(server, site: str, thumbs: Thumbnails) -> None:
    visitor = 0
    for path, title, thumb, readers in STORIES:
        for referrer, ua in readers:
            send_hit(server, site, "planet.example", path, ip=IPS[visitor % len(IPS)], ua=ua, title=title,
                     image=thumbs.url(thumb) if thumb else "", referrer=referrer)
            visitor += 1


def screenshot(page, name: str, **kwargs) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **kwargs)
    return path


def csp_violations(page) -> list[dict]:
    return page.evaluate("window.__csp")


# --- tests --------------------------------------------------------------------------------------------


def test_hits_appear_live_without_reloading(stack, page):
    server, sites, thumbs = stack
    site = sites["main"]
    seed_last_half_hour(site)
    page.goto(f"/trackers/{site}/live")
    expect(page.locator("#nm-state")).to_have_text("Live")
    expect(page.locator("#nm-install")).to_be_visible()  # never hit yet
    expect(page.locator("#nm-quiet")).to_have_text("No one is here right now")

    newsroom_traffic(server, site, thumbs)
    built_at = tick_until(site, lambda rt: rt["total_realtime"] == TOTAL_VISITORS)

    expect(page.locator("#nm-total")).to_have_text(str(TOTAL_VISITORS), timeout=SNAPSHOT_TO_SCREEN_SECS * 1000)
    top = page.locator("#nm-pages .nm-page").first
    expect(top.locator(".nm-page-title")).to_have_text(STORIES[0][1], timeout=SNAPSHOT_TO_SCREEN_SECS * 1000)
    assert time.monotonic() - built_at <= SNAPSHOT_TO_SCREEN_SECS
    expect(top.locator(".nm-page-count")).to_have_text("5")
    expect(page.locator("#nm-install")).to_be_hidden()
    expect(page.locator("#nm-quiet")).to_be_hidden()
    expect(page.locator("#nm-fresh")).to_have_text(re.compile(r"^updated \d+ s ago$"))
    assert page.evaluate("location.pathname") == f"/trackers/{site}/live"  # no reload happened

    # Visitor text is text: the XSS title shows literally and never runs.
    expect(page.get_by_text(XSS_TITLE, exact=True)).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    # Thumbnails load from the http(s) og:image; pages without one get a placeholder.
    expect(top.locator(".nm-thumb img")).to_have_attribute("src", thumbs.url("tram"))
    wait_until(lambda: top.locator(".nm-thumb img").evaluate("img => img.complete && img.naturalWidth > 0"))
    expect(page.locator(".nm-page", has_text="first snow").locator(".nm-thumb")).to_have_class(re.compile("nm-thumb-none"))

    # Sources open their children on demand.
    search = page.locator("#nm-sources .nm-source", has_text="Google Search")
    expect(search.locator(".nm-children")).to_be_hidden()
    search.locator(".nm-source-head").click()
    expect(search.locator(".nm-children")).to_contain_text("google.ch")

    page.wait_for_timeout(1600)  # let the change highlights fade before the picture
    shot = screenshot(page, "dashboard.png", full_page=True)
    assert shot.stat().st_size > 10_000
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "dashboard-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"/trackers/{site}/live?wall=1")
    expect(page.locator("#nm-total")).to_have_text(str(TOTAL_VISITORS))
    expect(page.locator("header.top")).to_be_hidden()
    page.wait_for_timeout(300)
    screenshot(page, "dashboard-wall.png")
    assert csp_violations(page) == []


def test_the_dashboard_reconnects_after_the_socket_drops(stack, page):
    server, sites, _thumbs = stack
    site = sites["sport"]
    sockets = []

    def through_proxy(ws):  # a pass-through the test can cut, like a dropped connection
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/ws/trackers/"), through_proxy)
    page.goto(f"/trackers/{site}/live")
    expect(page.locator("#nm-state")).to_have_text("Live")

    sockets[-1].close(code=1011, reason="dropped by the test")

    expect(page.locator("#nm-state")).to_contain_text("Reconnecting")
    expect(page.locator("#nm-state")).to_have_text("Live", timeout=10_000)
    assert len(sockets) == 2
    send_hit(server, site, "sport.planet.example", "/after-the-drop", ip=IPS[0], ua=DESKTOP_CHROME, title="After")
    tick_until(site, lambda rt: rt["total_realtime"] == 1)
    expect(page.locator("#nm-total")).to_have_text("1", timeout=SNAPSHOT_TO_SCREEN_SECS * 1000)
    expect(page.locator("#nm-pages .nm-page-title")).to_have_text("After")


def test_when_the_server_ends_the_session_the_dashboard_stops_retrying_and_offers_to_log_in(stack, page):
    _server, sites, _thumbs = stack
    sockets = []

    def through_proxy(ws):
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/ws/trackers/"), through_proxy)
    page.goto(f"/trackers/{sites['sport']}/live")
    expect(page.locator("#nm-state")).to_have_text("Live")

    sockets[-1].close(code=4401, reason="the session ended")  # what the consumer sends on logout

    expect(page.locator("#nm-banner")).to_contain_text("Your session has ended.")
    expect(page.locator("#nm-banner a")).to_have_attribute("href", f"/login?next=%2Ftrackers%2F{sites['sport']}%2Flive")
    page.wait_for_timeout(1500)  # longer than the first retry would wait
    assert len(sockets) == 1


def test_the_dashboard_says_plainly_when_updates_stop(stack, page):
    server, sites, _thumbs = stack
    site = sites["local"]
    send_hit(server, site, "local.planet.example", "/", ip=IPS[1], ua=DESKTOP_CHROME, title="Home")
    tick_until(site, lambda rt: rt["total_realtime"] == 1)
    page.clock.install()
    page.goto(f"/trackers/{site}/live")
    expect(page.locator("#nm-total")).to_have_text("1")
    expect(page.locator("#nm-banner")).to_be_hidden()

    page.clock.fast_forward(45_000)  # no snapshot for 45 s while people are on the site

    expect(page.locator("#nm-banner")).to_contain_text("Updates have stopped")
    expect(page.locator("#nm-status")).to_have_attribute("data-state", "stopped")


def test_a_tracker_that_never_had_a_hit_shows_the_install_hint_and_no_alarm(stack, page):
    _server, sites, _thumbs = stack
    page.clock.install()
    page.goto(f"/trackers/{sites['new']}/live")
    expect(page.locator("#nm-install")).to_be_visible()
    expect(page.locator("#nm-install")).to_contain_text("never received a hit")
    expect(page.locator("#nm-quiet")).to_be_visible()

    page.clock.fast_forward(120_000)  # a quiet tracker gets no snapshots: that is not a fault

    expect(page.locator("#nm-banner")).to_be_hidden()


def test_the_overview_shows_every_tracker_and_updates_live(stack, page):
    server, sites, _thumbs = stack
    page.goto("/live/")
    expect(page.locator("#nm-state")).to_have_text("Live")
    expect(page.locator(".nm-ov-card")).to_have_count(len(sites))
    card = page.locator(f'.nm-ov-card[data-site="{sites["sport"]}"]')

    for i in range(3):
        send_hit(server, sites["sport"], "sport.planet.example", "/derby", ip=IPS[2 + i], ua=IPHONE,
                 title="Derby day")
    tick_until(sites["sport"], lambda rt: rt["total_pageviews_today"] >= 4)

    expect(card.locator('[data-field="top_title"]')).to_have_text("Derby day", timeout=SNAPSHOT_TO_SCREEN_SECS * 1000)
    expect(card.locator('[data-field="total_realtime"]')).not_to_have_text("–")
    page.wait_for_timeout(1500)
    screenshot(page, "overview.png", full_page=True)
    assert csp_violations(page) == []
