"""The snippet's beacons are simple cross-origin requests: text/plain, no preflight, no cookies,
by sendBeacon or else fetch."""

from __future__ import annotations

import re

import pytest

from realtime.tests.snippet_site import article_url, of
from realtime.tests.snippet_site import context, nowmetrix, servers, site_server, tracker_id  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


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


def test_the_snippet_falls_back_to_fetch_without_send_beacon(context, site_server, nowmetrix, tracker_id):
    page = context.new_page()
    page.add_init_script("delete Navigator.prototype.sendBeacon")
    page.goto(article_url(site_server, tracker_id))

    nowmetrix.wait_for_hits(of(tracker_id, "pv"))
    request = nowmetrix.collect_requests(tracker_id)[0]
    assert request["headers"]["Content-Type"].startswith("text/plain")
    assert not [r for r in nowmetrix.requests if r["method"] == "OPTIONS"]
