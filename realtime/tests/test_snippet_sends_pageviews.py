"""The snippet's pageview in Chromium: every field a page gives, a returning visit, a browser
that blocks storage; and the snippet's size."""

from __future__ import annotations

import datetime
import gzip

import pytest

from realtime.tests.snippet_site import REFERRER, SCREEN_WIDTH, SNIPPET_BODY, TITLE, article_url, of
from realtime.tests.snippet_site import context, nowmetrix, servers, site_server, tracker_id  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


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


def test_a_second_load_in_the_same_browser_is_a_returning_visit(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.goto(article_url(site_server, tracker_id))
    [first] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))

    page.reload()
    second = nowmetrix.wait_for_hits(of(tracker_id, "pv"), count=2)[1]

    assert "v" not in first
    assert second["v"] == 1
    assert page.evaluate("localStorage.nm_last") == datetime.datetime.now(datetime.UTC).date().isoformat()


def test_blocked_storage_does_not_break_the_page_or_the_pageview(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }})"
    )
    page.goto(article_url(site_server, tracker_id))

    [pageview] = nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    assert "v" not in pageview
