import pytest

from history.api import microcache
from realtime.tests.conftest import chromium  # noqa: F401 - the shared Chromium fixture


@pytest.fixture
def clock(monkeypatch):
    """The history API's clock, driven by the test (`clock.now = ...`)."""

    class Clock:
        now = 0.0

    c = Clock()
    microcache.clear()
    monkeypatch.setattr(microcache, "clock", lambda: c.now)
    yield c
    microcache.clear()
