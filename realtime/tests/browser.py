"""Launches Debian's Chromium for the browser tests.

Playwright cannot download its own browsers here, so the tests drive the distribution's
build (`apt-get install -y chromium`, binary /usr/bin/chromium). NOWMETRIX_CHROMIUM points
elsewhere, e.g. on a developer machine.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

CHROMIUM_PATH = os.environ.get("NOWMETRIX_CHROMIUM", "/usr/bin/chromium")

# Root in a container needs --no-sandbox; the rest keep Chromium from calling home, which
# would add noise and flakiness to tests that count network requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(playwright, **kwargs):
    """Start headless Chromium from CHROMIUM_PATH; kwargs go to `chromium.launch`."""
    if not os.path.exists(CHROMIUM_PATH):
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM_PATH}: run `apt-get install -y chromium` "
            "or set NOWMETRIX_CHROMIUM"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, **kwargs)


def log_in(page, email: str, password: str) -> None:
    """Log in through the real /login form and wait until it has let the page go."""
    page.goto("/login")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@contextmanager
def logged_in_page(chromium, base_url: str, email: str, password: str, *, viewport: dict | None = None,
                   init_script: str = "") -> Iterator:
    """A page of a new browser context, logged in; leaving fails if it raised an uncaught error."""
    context = chromium.new_context(viewport=viewport or {"width": 1280, "height": 900}, base_url=base_url)
    if init_script:
        context.add_init_script(init_script)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, email, password)
    yield page
    context.close()
    assert errors == [], f"the page raised uncaught errors: {errors}"
