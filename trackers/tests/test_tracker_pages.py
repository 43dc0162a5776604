from trackers import services
from trackers.models import Tracker
from trackers.signals import tracker_changed

VALID = {"name": "Daily Planet blog", "hosts": "Blog.Planet.example\nhttps://www.planet.example/news, blog.planet.example",
         "timezone": "America/New_York", "live_window_minutes": "10", "honour_dnt": "on"}


def test_admins_see_every_tracker_with_its_controls(client, tenant):
    other = services.tracker_create(account=tenant.account, name="Archive", hosts=["archive.planet.example"])
    client.force_login(tenant.admin)
    response = client.get("/trackers/")
    content = response.content.decode()
    assert response.status_code == 200
    for tracker in (tenant.tracker, other):
        assert tracker.name in content
        assert f'href="/trackers/{tracker.public_id}/live"' in content
        assert f'href="/trackers/{tracker.public_id}/edit"' in content
        assert f'href="/trackers/{tracker.public_id}/install"' in content
        assert f'action="/trackers/{tracker.public_id}/deactivate"' in content
    assert 'href="/trackers/new"' in content


def test_the_list_page_runs_a_fixed_number_of_queries(client, tenant, django_assert_max_num_queries):
    for n in range(15):
        services.tracker_create(account=tenant.account, name=f"Site {n}", hosts=[f"s{n}.planet.example"])
    client.force_login(tenant.admin)
    with django_assert_max_num_queries(5):
        response = client.get("/trackers/")
    assert response.content.decode().count("/live\"") == 16


def test_creating_a_tracker_normalizes_hosts_and_opens_its_install_page(client, tenant):
    client.force_login(tenant.admin)
    response = client.post("/trackers/new", VALID)
    tracker = Tracker.objects.get(account=tenant.account, name="Daily Planet blog")
    assert response.status_code == 302
    assert response["Location"] == f"/trackers/{tracker.public_id}/install"
    assert tracker.hosts == ["blog.planet.example", "www.planet.example"]
    assert tracker.timezone == "America/New_York"
    assert tracker.live_window_minutes == 10
    assert tracker.honour_dnt is True and tracker.public_counter is False and tracker.is_active is True


def test_the_create_form_starts_with_the_accounts_time_zone(client, tenant):
    client.force_login(tenant.admin)
    content = client.get("/trackers/new").content.decode()
    assert '<option value="Europe/Zurich" selected>' in content


def test_invalid_tracker_forms_rerender_with_field_errors(client, tenant):
    client.force_login(tenant.admin)
    cases = {
        "hosts": ({"hosts": " , \n"}, "Enter at least one host name."),
        "timezone": ({"timezone": "Mars/Olympus_Mons"}, "Select a valid choice."),
        "live_window_minutes": ({"live_window_minutes": "31"}, "less than or equal to 30"),
        "name": ({"name": ""}, "This field is required."),
    }
    for field, (change, message) in cases.items():
        response = client.post("/trackers/new", {**VALID, **change})
        assert response.status_code == 200, field
        assert message in response.content.decode(), field
        assert f'id="field-{field}"' in response.content.decode()
        assert response.context["form"].errors[field], field
    assert client.post("/trackers/new", {**VALID, "live_window_minutes": "0"}).context["form"].errors["live_window_minutes"]
    assert not Tracker.objects.filter(name="Daily Planet blog").exists()


def test_malformed_host_names_are_rejected(client, tenant):
    client.force_login(tenant.admin)
    for bad in ("-bad-.example", "under_score.example", "a..b", "<script>"):
        response = client.post("/trackers/new", {**VALID, "hosts": bad})
        assert response.status_code == 200, bad
        assert response.context["form"].errors["hosts"], bad


def test_editing_a_tracker_saves_its_settings(client, tenant):
    client.force_login(tenant.admin)
    url = f"/trackers/{tenant.tracker.public_id}/edit"
    form = client.get(url).context["form"]
    assert form.initial["hosts"] == "planet.example"
    response = client.post(url, {**VALID, "name": "Renamed", "is_active": "on", "public_counter": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/trackers/"
    tenant.tracker.refresh_from_db()
    assert tenant.tracker.name == "Renamed"
    assert tenant.tracker.hosts == ["blog.planet.example", "www.planet.example"]
    assert tenant.tracker.public_counter is True


def test_an_invalid_edit_changes_nothing(client, tenant):
    client.force_login(tenant.admin)
    response = client.post(f"/trackers/{tenant.tracker.public_id}/edit", {**VALID, "hosts": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["hosts"]
    tenant.tracker.refresh_from_db()
    assert tenant.tracker.hosts == ["planet.example"]


def test_deactivating_is_soft_the_tracker_stays_listed_as_inactive(client, tenant, django_capture_on_commit_callbacks):
    sent = []
    tracker_changed.connect(lambda sender, tracker, **kw: sent.append(tracker.is_active), weak=False,
                            dispatch_uid="test-deactivate")
    try:
        client.force_login(tenant.admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/trackers/{tenant.tracker.public_id}/deactivate")
    finally:
        tracker_changed.disconnect(dispatch_uid="test-deactivate")
    assert response.status_code == 302
    tenant.tracker.refresh_from_db()
    assert tenant.tracker.is_active is False
    # The live pipeline republishes the tracker's ingest config on this signal, and stops taking hits.
    assert sent == [False]
    content = client.get("/trackers/").content.decode()
    assert tenant.tracker.name in content
    assert "Inactive" in content
    assert f'action="/trackers/{tenant.tracker.public_id}/deactivate"' not in content


def test_deactivate_accepts_only_post(client, tenant):
    client.force_login(tenant.admin)
    assert client.get(f"/trackers/{tenant.tracker.public_id}/deactivate").status_code == 405
    tenant.tracker.refresh_from_db()
    assert tenant.tracker.is_active


def test_a_deactivated_tracker_can_be_reactivated_from_the_edit_form(client, tenant):
    services.tracker_deactivate(tracker=tenant.tracker)
    client.force_login(tenant.admin)
    client.post(f"/trackers/{tenant.tracker.public_id}/edit", {**VALID, "is_active": "on"})
    tenant.tracker.refresh_from_db()
    assert tenant.tracker.is_active is True


def test_tracker_names_are_escaped_everywhere(client, tenant):
    name = '<script>alert("x")</script>'
    services.tracker_update(tracker=tenant.tracker, name=name)
    client.force_login(tenant.admin)
    for url in ("/trackers/", f"/trackers/{tenant.tracker.public_id}/edit", f"/trackers/{tenant.tracker.public_id}/install",
                "/members/invite", "/keys/new"):
        content = client.get(url).content.decode()
        assert name not in content, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content, url
