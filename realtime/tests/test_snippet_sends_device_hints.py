"""The snippet's device hints in Chromium: an iPad that says Mac, Android's model and mobile
flag from client hints, or the screen's smaller side without them."""

from __future__ import annotations

import pytest

from realtime.tests.snippet_site import article_url, of
from realtime.tests.snippet_site import context, nowmetrix, servers, site_server, tracker_id  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


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
