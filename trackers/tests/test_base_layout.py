import re


def test_admin_pages_run_no_inline_script(client, tenant):
    """The layout's helpers come from our origin, so pages with a strict CSP can share it."""
    client.force_login(tenant.admin)
    for url in ("/trackers/", f"/trackers/{tenant.tracker.public_id}/install", "/keys/new", "/login"):
        html = client.get(url).content.decode()
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
            assert "src=" in attrs and not body.strip(), (url, attrs)


def test_the_admin_script_is_served_from_our_origin(client, tenant):
    client.force_login(tenant.admin)
    src = re.search(r'<script src="([^"]+admin\.js)"', client.get("/trackers/").content.decode()).group(1)
    response = client.get(src)
    assert response.status_code == 200
    assert b"data-copy" in b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_nav_names_the_current_account_and_user(client, tenant):
    client.force_login(tenant.admin)
    html = client.get("/trackers/").content.decode()
    assert "NowMetrix" in html
    assert tenant.account.name in html
    assert tenant.admin.email in html
    assert 'action="/logout"' in html
