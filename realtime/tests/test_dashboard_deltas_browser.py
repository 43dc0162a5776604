"""Delta frames in Chromium: a dashboard that follows a minute of live traffic by applying delta
frames (one of them lost on the way, so it must resync) shows exactly what a dashboard opened
afterwards renders from a whole snapshot.

The real stack of test_dashboard_browser (uvicorn subprocess, real Redis and channel layer);
the test process plays the Celery beat on a thread, ticking every second while it sends hits.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time

import pytest
from playwright.sync_api import expect

from realtime import deltas, live_state, services
from realtime.tests.servers import wait_until
from realtime.tests.test_dashboard_browser import (IPS, page, screenshot, send_hit, stack)  # noqa: F401 - fixtures
from realtime.tests.traffic import DESKTOP_CHROME, IPAD, IPHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRAFFIC_SECS = 60
HITS_PER_SEC = 10
DROPPED_DELTA = 12  # the n-th delta frame the proxy keeps from the page
HOST = "planet.example"
PATHS = [f"/2026/11/story-{i:02d}" for i in range(24)]
REFERRERS = ["https://www.google.com/", "https://www.google.ch/", "https://t.co/x1", "https://www.facebook.com/",
             "https://duckduckgo.com/", "https://news.ycombinator.com/item?id=1", "",
             "?utm_source=morning-briefing&utm_medium=email&utm_campaign=daily"]
VISITORS = [(ip, ua) for ip in IPS for ua in (DESKTOP_CHROME, IPHONE, IPAD)]

# The dashboard's rendered state, without what depends on when and how it got there: the
# status line, the server's clock at page load, and the highlight classes that mark a change
# since the previous frame.
RENDERED = """() => {
  const root = document.getElementById('nm-live').cloneNode(true);
  root.removeAttribute('data-server-now');
  root.querySelectorAll('#nm-status, #nm-banner').forEach(n => n.remove());
  root.querySelectorAll('.nm-flash, .nm-down').forEach(n => n.classList.remove('nm-flash', 'nm-down'));
  return root.outerHTML;
}"""


def top_page_changes(frames: list[dict]) -> list[tuple[int, list[int], int]]:
    """For each delta that reordered the top pages: how many there were, the old indexes kept
    (in their new order) and how many rows are new; followed as the page follows them."""
    changes, shown = [], None
    for frame in frames:
        if frame["type"] == "snapshot":
            shown = frame
            continue
        if shown is None or frame["base"] != shown["seq"]:
            continue  # the page asks for a resync here
        order = frame["realtime"].get("top_pages", {}).get("o")
        if order is not None:
            kept = [i for e in order if not isinstance(e, dict) for i in
                    (range(e[0], e[0] + e[1]) if isinstance(e, list) else [e])]
            changes.append((len(shown["realtime"]["top_pages"]), kept, sum(isinstance(e, dict) for e in order)))
        shown = {"seq": frame["seq"], "realtime": deltas.apply(shown["realtime"], frame["realtime"])}
    return changes


class Beat(threading.Thread):
    """Runs the tick every second, as Celery beat does, until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(1.0):
            services.tick()


def steady_traffic(server, site: str, secs: float) -> None:
    """Visitors move between stories whose popularity shifts every few seconds, arriving from
    varied sources and countries: rows of every top list enter, leave, reorder and change."""
    rng = random.Random(16)
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < secs:
        hot = int(elapsed // 6)  # every 6 s another group of stories is in the news
        weights = [8 if (i - hot * 3) % len(PATHS) < 5 else 1 for i in range(len(PATHS))]
        for path in rng.choices(PATHS, weights, k=HITS_PER_SEC):
            ip, ua = rng.choice(VISITORS)
            send_hit(server, site, HOST, path, ip=ip, ua=ua, title=f"Story {path[-2:]}: the day's news",
                     referrer=rng.choice(REFERRERS))
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started - elapsed)))


def test_a_dashboard_following_deltas_for_a_minute_matches_a_fresh_full_render(stack, page):  # noqa: F811
    server, sites, _thumbs = stack
    site = sites["main"]
    from_server: list[dict] = []
    resyncs: list[str] = []

    def proxy(ws):
        """Passes frames through, keeping the DROPPED_DELTA-th delta from the page."""
        upstream = ws.connect_to_server()

        def down(message):
            frame = json.loads(message)
            from_server.append(frame)
            if frame["type"] == "delta" and sum(f["type"] == "delta" for f in from_server) == DROPPED_DELTA:
                return
            ws.send(message)

        def up(message):
            if json.loads(message).get("type") == "resync":
                resyncs.append(message)
            upstream.send(message)

        upstream.on_message(down)
        ws.on_message(up)

    page.route_web_socket(re.compile(r"/ws/trackers/"), proxy)
    page.goto(f"/trackers/{site}/live")
    expect(page.locator("#nm-state")).to_have_text("Live")

    beat = Beat()
    beat.start()
    try:
        steady_traffic(server, site, TRAFFIC_SECS)
    finally:
        beat.stopped.set()
        beat.join()
    last = threading.Thread(target=services.tick)  # not on this thread: Playwright's event loop runs here
    last.start()
    last.join()
    seq = str(live_state.snapshot_get(site).seq)
    expect(page.locator("#nm-live")).to_have_attribute("data-seq", seq, timeout=10_000)

    fresh = page.context.new_page()
    fresh.goto(f"/trackers/{site}/live")
    expect(fresh.locator("#nm-state")).to_have_text("Live")
    expect(fresh.locator("#nm-live")).to_have_attribute("data-seq", seq)
    page.wait_for_timeout(1500)  # the number tweens and highlights end
    screenshot(page, "dashboard-deltas-followed.png", full_page=True)
    screenshot(fresh, "dashboard-deltas-fresh.png", full_page=True)

    assert page.evaluate(RENDERED) == fresh.evaluate(RENDERED)

    delta_frames = [f for f in from_server if f["type"] == "delta"]
    assert len(delta_frames) >= TRAFFIC_SECS // 2  # the dashboard followed deltas, not whole frames
    assert resyncs, "the lost delta was not noticed"
    changes = top_page_changes(from_server)
    assert any(new for _before, _kept, new in changes), "no story entered the list"
    assert any(kept != sorted(kept) for _before, kept, _new in changes), "no story moved"
    assert any(len(kept) < before for before, kept, _new in changes), "no story left"
    assert any("o" in f["realtime"].get("countries", {}) for f in delta_frames)
    assert page.locator("#nm-pages .nm-page").count() == 15
