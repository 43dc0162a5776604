import re

from django.contrib.auth import get_user_model

from trackers import services
from trackers.models import Membership, Role

User = get_user_model()


def _link(mail) -> str:
    return re.search(r"http://testserver(/password-reset/\S+/)", mail.body).group(1)


def test_admins_see_every_member_with_role_and_trackers(client, tenant, editor, editor_without_access):
    client.force_login(tenant.admin)
    content = client.get("/members/").content.decode()
    for user in (tenant.admin, editor, editor_without_access):
        assert user.email in content
    assert "All trackers" in content  # the Admin
    assert tenant.tracker.name in content  # the Editor's tracker


def test_the_members_page_runs_a_fixed_number_of_queries(client, tenant, django_assert_max_num_queries):
    for n in range(12):
        user, _ = services.user_get_or_create(email=f"reporter{n}@planet.example")
        services.membership_add(account=tenant.account, user=user, trackers=[tenant.tracker])
    client.force_login(tenant.admin)
    with django_assert_max_num_queries(6):
        content = client.get("/members/").content.decode()
    assert content.count("reporter") >= 12


def test_inviting_a_new_person_creates_them_and_emails_a_set_password_link(
    client, tenant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(tenant.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/members/invite", {"email": "Clark@Planet.example", "role": "editor",
                                                   "trackers": [tenant.tracker.pk]})
    assert response.status_code == 302
    assert response["Location"] == "/members/"
    user = User.objects.get(email="clark@planet.example")
    assert not user.has_usable_password()
    membership = Membership.objects.get(account=tenant.account, user=user)
    assert membership.role == Role.EDITOR
    assert list(membership.trackers.all()) == [tenant.tracker]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["clark@planet.example"]
    assert "Daily Planet" in mailoutbox[0].subject

    client.logout()
    form_url = client.get(_link(mailoutbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "kryptonite rules 42", "new_password2": "kryptonite rules 42"})
    assert response.status_code == 302
    assert client.login(username="clark@planet.example", password="kryptonite rules 42")
    assert tenant.tracker.name in client.get("/trackers/").content.decode()


def test_inviting_an_existing_user_adds_them_and_keeps_their_password(
    client, tenant, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(tenant.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/invite", {"email": outsider.admin.email, "role": "admin"})
    assert Membership.objects.get(account=tenant.account, user=outsider.admin).role == Role.ADMIN
    outsider.admin.refresh_from_db()
    assert outsider.admin.check_password("correct horse battery staple")
    assert "password-reset" not in mailoutbox[0].body
    assert "/login" in mailoutbox[0].body


def test_inviting_a_current_member_is_a_form_error(client, tenant, editor, mailoutbox):
    client.force_login(tenant.admin)
    response = client.post("/members/invite", {"email": editor.email.upper(), "role": "editor"})
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert mailoutbox == []


def test_an_invalid_invitation_rerenders_with_field_errors(client, tenant):
    client.force_login(tenant.admin)
    response = client.post("/members/invite", {"email": "not-an-email", "role": "owner"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"email", "role"}
    assert not User.objects.filter(email="not-an-email").exists()


def test_editing_a_member_changes_role_and_trackers(client, tenant, editor_without_access):
    other = services.tracker_create(account=tenant.account, name="Sports", hosts=["sports.planet.example"])
    membership = Membership.objects.get(user=editor_without_access)
    client.force_login(tenant.admin)
    form = client.get(f"/members/{membership.pk}/edit").context["form"]
    assert form.initial["role"] == Role.EDITOR
    response = client.post(f"/members/{membership.pk}/edit", {"role": "editor", "trackers": [other.pk]})
    assert response.status_code == 302
    assert list(membership.trackers.all()) == [other]
    client.post(f"/members/{membership.pk}/edit", {"role": "admin"})
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_removing_a_member_keeps_the_user_but_ends_their_access(client, tenant, editor):
    membership = Membership.objects.get(user=editor)
    client.force_login(tenant.admin)
    assert client.get(f"/members/{membership.pk}/remove").status_code == 405
    response = client.post(f"/members/{membership.pk}/remove")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=editor.pk).exists()
    client.force_login(editor)
    assert client.get("/trackers/").status_code == 403  # a member of no account any more
