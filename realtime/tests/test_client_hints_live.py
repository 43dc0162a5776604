"""The Android client hints end to end: Chromium as a Lenovo Tab M10 whose UA says "Mobile" and
names no model (Chrome's reduced UA), the real snippet and server, and the visitor's record in
the live state."""

import time

import pytest

from realtime import live_state
from realtime.ingest.record import Record
from realtime.tests.live_page import snippet_page
from realtime.tests.servers import wait_until

REDUCED_PHONE_UA = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/131.0.0.0 Mobile Safari/537.36")


@pytest.mark.slow
@pytest.mark.browser
def test_a_tablet_that_says_mobile_is_recorded_as_a_tablet_with_its_model(tenant):
    with snippet_page(tenant) as (site, url, browser):
        page = browser.new_page()
        page.context.new_cdp_session(page).send("Emulation.setUserAgentOverride", {
            "userAgent": REDUCED_PHONE_UA,
            "userAgentMetadata": {"platform": "Android", "platformVersion": "10.0.0", "architecture": "",
                                  "model": "Lenovo TB-X605L", "mobile": True,
                                  "brands": [{"brand": "Chromium", "version": "131"}]},
        })
        page.goto(url)
        records = wait_until(lambda: live_state.visitor_records(site, time.time() - 60)[0], 10, 0.1,
                             "the visitor's record")
        [record] = [Record.unpack(r) for r in records]
        assert (record.device, record.os, record.model) == ("tablet", "Android", "Lenovo TB-X605L")
