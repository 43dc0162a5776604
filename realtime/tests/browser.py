"""Launches Debian's Chromium for the browser tests.

Playwright cannot download its own browsers here, so the tests drive the distribution's
build (`apt-get install -y chromium`, binary /usr/bin/chromium). NOWMETRIX_CHROMIUM points
elsewhere, e.g. on a developer machine.
"""

from __future__ import annotations

import os

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
