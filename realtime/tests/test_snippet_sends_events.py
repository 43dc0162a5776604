"""The snippet's custom events in Chromium, including those queued before it loaded."""

from __future__ import annotations

import pytest

from realtime.tests.snippet_site import TITLE, article_url, of
from realtime.tests.snippet_site import context, nowmetrix, servers, site_server, tracker_id  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


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
