"""The Swagger page of the GA endpoints renders their operations in a real browser, with a bad
Bearer token in the way or not, and the /v1 API docs link to it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from realtime.tests.browser import launch_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_ga_swagger_page_lists_both_apis_and_is_linked_from_the_api_docs(ga_server):
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(extra_http_headers={"Authorization": "Bearer nm_not-a-real-key"})
            page.goto(ga_server.url + "/docs/ga")
            page.get_by_text("/analytics/v3/data/realtime", exact=True).wait_for()
            page.get_by_text("/v1beta/properties/{propertyId}:runRealtimeReport", exact=True).wait_for()
            assert page.get_by_text("NowMetrix: Google Analytics compatible APIs").count() >= 1
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "ga-docs.png"), full_page=False)
            page = browser.new_page()  # (the /v1 schema's own handling of a bad token is not this test's)
            page.goto(ga_server.url + "/docs/api")
            link = page.locator("a[href$='/docs/ga']")  # Swagger UI makes it absolute
            link.wait_for()
            page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
            page.goto(link.get_attribute("href"))  # (Swagger UI opens it in a new tab)
            page.get_by_text("/analytics/v3/data/realtime", exact=True).wait_for()
        finally:
            browser.close()
