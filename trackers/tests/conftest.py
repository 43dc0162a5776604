"""Fixtures of the web admin tests (the personas are in the root conftest.py)."""

import itertools
import time

import pytest

_OFFSETS = itertools.count(1)


@pytest.fixture(autouse=True)
def fresh_throttles(monkeypatch):
    """Each test counts logins and mails in throttle windows of its own: the counters live in the
    run's shared cache, and every test client comes from 127.0.0.1. The clock still moves."""
    from trackers import throttle

    offset = next(_OFFSETS) * 10 * 365 * 24 * 3600
    monkeypatch.setattr(throttle, "clock", lambda: time.time() + offset)
