"""The snippet reports the browser's privacy signals for the server to decide, and a page without
`data-site` sends nothing."""

from __future__ import annotations

import pytest

from realtime.tests.snippet_site import SPY, article_url, of
from realtime.tests.snippet_site import context, nowmetrix, servers, site_server, tracker_id  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


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
