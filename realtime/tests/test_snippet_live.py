"""The snippet in a real browser against the real server: its pageview, heartbeats, SPA
navigation and leave reach the live state."""

import time

import pytest

from realtime import keys, live_state, services
from realtime.tests.live_page import snippet_page
from realtime.tests.servers import wait_until
from realtime.tests.traffic import DESKTOP_CHROME


def _snapshot(site):
    return services.tracker_tick(live_state.tracker_config_get(site), time.time(), announce=False).realtime


@pytest.mark.slow
@pytest.mark.browser
def test_pageview_heartbeat_spa_navigation_and_leave_arrive(tenant):
    with snippet_page(tenant) as (site, url, browser):
        # Headless Chromium announces itself as HeadlessChrome, which ingest drops as a bot.
        page = browser.new_page(user_agent=DESKTOP_CHROME)
        page.goto(f"{url}?utm_source=nl&utm_medium=email")
        snap = wait_until(lambda: (s := _snapshot(site))["total_pageviews_today"] == 1 and s, 10,
                          0.1, "the pageview")
        assert snap["total_realtime"] == 1
        assert snap["top_pages"][0]["url"] == "/article"
        assert snap["top_pages"][0]["title"] == "Live test page"
        assert snap["top_pages"][0]["og_image"] == "https://cdn.example/cover.jpg"
        assert snap["sources_top5"][0]["medium"] == "newsletter"

        active = keys.tracker_key(site, keys.ACTIVE)
        first_seen = live_state.client().zrange(active, 0, -1, withscores=True)[0][1]
        wait_until(lambda: live_state.client().zrange(active, 0, -1, withscores=True)[0][1] > first_seen, 10,
                   0.1, "a heartbeat")

        page.evaluate("history.pushState({}, '', '/second-story')")
        snap = wait_until(lambda: (s := _snapshot(site))["total_pageviews_today"] == 2 and s, 10, 0.1,
                          "the SPA pageview")
        assert [(p["url"], p["realtime_users"]) for p in snap["top_pages"]] == [("/second-story", 1)]
        assert snap["sources_top5"][0]["medium"] == "newsletter"  # the visit keeps its source

        page.close(run_before_unload=True)
        wait_until(lambda: _snapshot(site)["total_realtime"] == 0, 10, 0.1, "the leave signal")
