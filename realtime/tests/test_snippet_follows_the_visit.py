"""The snippet follows a visit in Chromium: heartbeats while the page is visible, a pageview per
history navigation, a leave when the page goes."""

from __future__ import annotations

import pytest

from realtime.tests.snippet_site import SPY, TITLE, VISIBILITY, article_url, of
from realtime.tests.snippet_site import context, nowmetrix, servers, site_server, tracker_id  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


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
