"""The pace and recap pages: for Admins and for Editors given the tracker, nobody else; visitor
strings are escaped; the dashboards' CSP is sent."""

from datetime import date

import pytest

from history.tests import rows

PAGES = ["pace", "pace.json", "recap"]
XSS = '<img src=x onerror="window.__xss=1">'


@pytest.mark.parametrize("page", PAGES)
def test_admins_and_editors_with_access_open_the_pages(client, tenant, editor, page):
    for user in (tenant.admin, editor):
        client.force_login(user)
        assert client.get(f"/trackers/{tenant.tracker.public_id}/{page}").status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_editors_without_access_and_other_tenants_get_404(client, tenant, editor_without_access, outsider, page):
    client.force_login(editor_without_access)
    assert client.get(f"/trackers/{tenant.tracker.public_id}/{page}").status_code == 404
    client.force_login(outsider.admin)
    assert client.get(f"/trackers/{tenant.tracker.public_id}/{page}").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, tenant, page):
    response = client.get(f"/trackers/{tenant.tracker.public_id}/{page}")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_recap_escapes_titles_authors_and_the_query(client, tenant):
    today = date.today()
    rows.day(tenant.tracker, today, pageviews=3, visits=1)
    rows.page(tenant.tracker, today, "/x", 3, 1, title=XSS, author=XSS, image='https://img.example/a.jpg"onload="x')
    client.force_login(tenant.admin)
    response = client.get(f"/trackers/{tenant.tracker.public_id}/recap", {"preset": "today", "q": "onerror"})
    html = response.content.decode()
    assert "<img src=x" not in html and 'onload="x' not in html
    assert html.count("&lt;img src=x onerror=") == 2  # title and author, as text
    searched = client.get(f"/trackers/{tenant.tracker.public_id}/recap", {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in searched.content.decode()
    assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")


def test_a_bad_range_on_the_recap_page_shows_an_error_and_the_default_range(client, tenant):
    client.force_login(tenant.admin)
    response = client.get(f"/trackers/{tenant.tracker.public_id}/recap", {"preset": "custom", "start": "nope"})
    assert response.status_code == 200
    assert b"start must be a date" in response.content and b"Last 30 Days" in response.content


def test_the_pace_page_embeds_its_data_as_inert_json(client, tenant):
    client.force_login(tenant.admin)
    html = client.get(f"/trackers/{tenant.tracker.public_id}/pace").content.decode()
    assert '<script id="hm-pace-data" type="application/json">' in html
