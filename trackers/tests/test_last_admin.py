"""An account always keeps at least one Admin."""

from trackers.models import Membership, Role


def test_the_last_admin_cannot_be_demoted(client, tenant):
    membership = Membership.objects.get(user=tenant.admin)
    client.force_login(tenant.admin)
    response = client.post(f"/members/{membership.pk}/edit", {"role": "editor"})
    assert response.status_code == 200
    assert "An account must keep at least one Admin." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_the_last_admin_cannot_be_removed(client, tenant):
    membership = Membership.objects.get(user=tenant.admin)
    client.force_login(tenant.admin)
    response = client.post(f"/members/{membership.pk}/remove", follow=True)
    assert "An account must keep at least one Admin." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_may_leave_when_another_admin_remains(client, tenant, editor):
    Membership.objects.filter(user=editor).update(role=Role.ADMIN)
    membership = Membership.objects.get(user=tenant.admin)
    client.force_login(tenant.admin)
    response = client.post(f"/members/{membership.pk}/remove")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_who_steps_down_to_editor_lands_on_their_trackers(client, tenant, editor):
    Membership.objects.filter(user=editor).update(role=Role.ADMIN)
    membership = Membership.objects.get(user=tenant.admin)
    client.force_login(tenant.admin)
    response = client.post(f"/members/{membership.pk}/edit", {"role": "editor", "trackers": [tenant.tracker.pk]})
    assert response["Location"] == "/"
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    assert client.get("/members/").status_code == 403
