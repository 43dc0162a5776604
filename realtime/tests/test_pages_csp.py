"""Every HTML page sends a Content-Security-Policy (scripts only from our origin), and the pages
still work under it in Chromium, Swagger UI at /docs/api included."""

import pytest

from realtime.tests.browser import log_in
from realtime.tests.servers import BASE_DIR, manage, start_uvicorn

EMAIL, PASSWORD = "lois@planet.example", "correct horse battery staple"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def _assert_policy(response, url):
    assert response["Content-Type"].startswith("text/html"), url
    policy = directives(response)
    assert policy["script-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
    assert "'unsafe-inline'" not in policy["style-src"], url


def test_every_html_page_sends_the_policy(client, tenant):
    for url in ("/login", "/signup", "/password-reset/", "/docs/api", "/django-admin/login/", "/no-such-page"):
        _assert_policy(client.get(url), url)
    client.force_login(tenant.admin)
    for url in ("/trackers/", "/keys/", f"/trackers/{tenant.tracker.public_id}/install"):
        _assert_policy(client.get(url), url)


def test_the_dashboards_keep_their_stricter_policy(client, tenant):
    client.force_login(tenant.admin)
    policy = directives(client.get(f"/trackers/{tenant.tracker.public_id}/live"))
    assert "style-src-attr" not in policy


def test_json_and_the_docs_script_get_no_page_policy(client, db):
    assert "Content-Security-Policy" not in client.get("/v1/openapi.json")
    script = client.get("/docs/api?script=")
    assert script.status_code == 200 and "Content-Security-Policy" not in script


# --- in Chromium ---------------------------------------------------------------------------

SETUP = """
from trackers import services
admin, _ = services.user_get_or_create(email=%(email)r, password=%(password)r)
account = services.account_create(name="Daily Planet", owner=admin, timezone_name="Europe/Zurich")
print("TRACKER=" + services.tracker_create(account=account, name="Planet", hosts=["planet.example"]).public_id)
"""
CSP_SPY = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push({directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample}));
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('csp') / 'db.sqlite3'}"}
    manage(env, "migrate", "--noinput")
    tracker = manage(env, "shell", "-c", SETUP % {"email": EMAIL, "password": PASSWORD}).split("TRACKER=")[1].strip()
    with start_uvicorn(env) as running:
        yield running, tracker


@pytest.mark.browser
@pytest.mark.slow
def test_swagger_ui_and_the_admin_pages_work_under_the_policy(server, chromium):
    running, tracker = server
    context = chromium.new_context(base_url=running.url)
    context.add_init_script(CSP_SPY)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto("/docs/api")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path[data-path='/v1/realtime']")
    assert "NowMetrix API" in page.inner_text(".swagger-ui .info .title")
    page.screenshot(path=str(BASE_DIR / "test-artifacts" / "docs-api.png"), full_page=False)
    assert page.evaluate("window.__csp") == []

    log_in(page, EMAIL, PASSWORD)
    assert page.evaluate("window.__csp") == []
    page.goto(f"/trackers/{tracker}/install")
    page.wait_for_selector("h2")
    assert page.evaluate("window.__csp") == []
    context.close()
    assert errors == []
