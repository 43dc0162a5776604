"""The pace and recap pages in headless Chromium against the real app under uvicorn: they show
the numbers, render untrusted titles and authors as text, break no CSP rule, and the pace page
refreshes itself. Screenshots land in test-artifacts/."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from realtime.tests.browser import logged_in_page
from realtime.tests.servers import BASE_DIR, app_with_setup, manage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = BASE_DIR / "test-artifacts"
EMAIL, PASSWORD = "lois@planet.example", "correct horse battery staple"
XSS_TITLE = '<img src=x onerror="window.__xss = 1">'
THUMB = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='64' height='40'%3E"
         "%3Crect width='64' height='40' fill='%230ea5e9'/%3E%3C/svg%3E")
SETUP = """
import json, time
from datetime import timedelta
from history import slots
from history.models import DayCount, PageDay, SlotCount
from trackers import services
admin, _ = services.user_get_or_create(email=%(email)r, password=%(password)r)
account = services.account_create(name="Daily Planet", owner=admin, timezone_name="Europe/Zurich")
t = services.tracker_create(account=account, name="The Daily Planet", hosts=["planet.example"])
now = time.time()
today = slots.local_date(t.timezone, now)
current = slots.slot_of(now)
for n in range(30):
    day = today - timedelta(days=n)
    DayCount.objects.create(account=account, tracker=t, date=day, pageviews=100 + n, visits=40)
for slot in slots.day_slots(t.timezone, today - timedelta(days=1)):
    SlotCount.objects.create(account=account, tracker=t, slot=slot, date=today - timedelta(days=1), pageviews=4, visits=2)
for slot in slots.day_slots(t.timezone, today):
    if slot <= current:
        SlotCount.objects.create(account=account, tracker=t, slot=slot, date=today, pageviews=6, visits=3)
DayCount.objects.filter(tracker=t, date=today).update(pageviews=123, visits=45)
DayCount.objects.filter(tracker=t, date=today - timedelta(days=1)).update(pageviews=384, visits=192)
pages = [("/tram", "City council approves the new tram line", "Ann Smith", "2026-11-20T08:00:00Z", %(thumb)r, 900, 300),
         ("/comments/42", %(xss)r, %(xss)r, "", "", 500, 200),
         ("/weather", "First snow expected", "", "", "", 100, 50)]
for path, title, author, pubdate, image, pv, vi in pages:
    PageDay.objects.create(account=account, tracker=t, date=today, page_id=path, url_id="0" * 32, host="planet.example",
                           path=path, title=title, author=author, pubdate=pubdate, image=image, pageviews=pv, visits=vi)
print("SITE=" + json.dumps(t.public_id))
"""
CSP_SPY = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.effectiveDirective));
"""


@pytest.fixture(scope="module")
def stack():
    setup = SETUP % {"email": EMAIL, "password": PASSWORD, "xss": XSS_TITLE, "thumb": THUMB}
    with app_with_setup(setup, name="history") as (server, out, env):
        yield server, json.loads(re.search(r"^SITE=(.*)$", out, re.MULTILINE).group(1)), env


@pytest.fixture
def page(stack, chromium):
    server, _site, _env = stack
    with logged_in_page(chromium, server.url, EMAIL, PASSWORD, viewport={"width": 1280, "height": 1000},
                        init_script=CSP_SPY) as page:
        yield page


def test_the_pace_page_shows_today_against_yesterday_and_refreshes(stack, page):
    _server, site, env = stack
    page.clock.install()
    page.goto(f"/trackers/{site}/pace")
    expect(page.locator("#hm-today")).to_have_text("123")
    expect(page.locator("#hm-yesterday")).to_have_text("384")
    expect(page.locator("#hm-pace-percent")).to_have_text(re.compile(r"^(\d+%|–)$"))
    assert page.locator("#hm-pace-chart polyline").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "history-pace.png"), full_page=True)

    set_today = ("from history.models import DayCount; from history import slots; import time;"
                 f"from trackers.models import Tracker; t = Tracker.objects.get(public_id={site!r});"
                 "DayCount.objects.filter(tracker=t, date=slots.local_date(t.timezone, time.time()))"
                 ".update(pageviews=%d)")
    manage(env, "shell", "-c", set_today % 150)
    try:
        page.clock.run_for(61_000)  # the page's minute refresh
        expect(page.locator("#hm-today")).to_have_text("150")
    finally:
        manage(env, "shell", "-c", set_today % 123)
    assert page.evaluate("window.__csp") == []


def test_the_recap_page_shows_the_numbers_and_untrusted_strings_as_text(stack, page):
    _server, site, _env = stack
    page.goto(f"/trackers/{site}/recap?preset=last7")
    # Last 7 days: today 123 plus 384 and 102..106.
    expect(page.locator("#hm-total-pageviews")).to_have_text(str(123 + 384 + sum(range(102, 107))))
    expect(page.locator("#hm-total-visits")).to_have_text(str(45 + 192 + 5 * 40))
    assert page.locator("rect.hm-bar").count() == 7
    rows = page.locator("table.hm-pages tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".hm-title")).to_have_text("City council approves the new tram line")
    expect(rows.nth(1).locator(".hm-title")).to_have_text(XSS_TITLE)
    expect(rows.nth(1).locator("td").nth(3)).to_have_text(XSS_TITLE)
    assert page.evaluate("window.__xss") is None
    assert page.locator("img.hm-thumb").count() == 1
    page.screenshot(path=str(ARTIFACTS / "history-recap.png"), full_page=True)

    page.fill("input[name=q]", "snow")
    page.click("form.hm-form button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator(".hm-title")).to_have_text("First snow expected")
    assert page.evaluate("window.__csp") == []
