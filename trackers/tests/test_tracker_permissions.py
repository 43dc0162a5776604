"""What Editors see of trackers: the ones they were given, read-only."""

from trackers import services


def test_an_editor_sees_the_trackers_they_were_given_read_only(client, tenant, editor):
    services.tracker_create(account=tenant.account, name="Not shared", hosts=["secret.planet.example"])
    client.force_login(editor)
    response = client.get("/trackers/")
    content = response.content.decode()
    assert response.status_code == 200
    assert tenant.tracker.name in content
    assert "Not shared" not in content
    assert f'href="/trackers/{tenant.tracker.public_id}/live"' in content
    for control in ("/edit", "/install", "/deactivate", "/trackers/new"):
        assert control not in content, control


def test_an_editor_without_access_sees_no_trackers(client, tenant, editor_without_access):
    client.force_login(editor_without_access)
    response = client.get("/trackers/")
    content = response.content.decode()
    assert response.status_code == 200
    assert tenant.tracker.name not in content
    assert tenant.tracker.public_id not in content
    assert "No trackers have been shared with you yet" in content


def test_an_editor_cannot_open_a_trackers_admin_pages_even_with_access(client, tenant, editor):
    client.force_login(editor)
    for url in (f"/trackers/{tenant.tracker.public_id}/edit", f"/trackers/{tenant.tracker.public_id}/install"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/trackers/{tenant.tracker.public_id}/deactivate").status_code == 403
