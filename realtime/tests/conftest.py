"""Fixtures shared by the realtime tests."""

import pytest


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium, one per test module (see realtime/tests/browser.py).

    Playwright's sync API keeps an event loop running in this thread while the browser is
    open, so Django's ORM refuses to run here meanwhile: tests that write to the database
    during the test start their own Playwright after doing so."""
    from playwright.sync_api import sync_playwright

    from realtime.tests.browser import launch_chromium

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def anyio_backend():
    """The async tests (WebSocket consumers) run on asyncio, as Channels does."""
    return "asyncio"
