import re

from trackers import services


def _reset_path(mail) -> str:
    return re.search(r"http://testserver(/password-reset/\S+/)", mail.body).group(1)


def test_a_member_resets_their_password_from_an_emailed_link(client, tenant, mailoutbox):
    response = client.post("/password-reset/", {"email": "LOIS@planet.example"})
    assert response["Location"] == "/password-reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [tenant.admin.email]
    form_url = client.get(_reset_path(mailoutbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "a brand new secret 7", "new_password2": "a brand new secret 7"})
    assert response["Location"] == "/password-reset/complete/"
    tenant.admin.refresh_from_db()
    assert tenant.admin.check_password("a brand new secret 7")


def test_a_reset_link_works_only_once(client, tenant, mailoutbox):
    client.post("/password-reset/", {"email": tenant.admin.email})
    path = _reset_path(mailoutbox[0])
    form_url = client.get(path)["Location"]
    client.post(form_url, {"new_password1": "a brand new secret 7", "new_password2": "a brand new secret 7"})
    response = client.get(path, follow=True)
    assert "This link is invalid or has expired" in response.content.decode()


def test_an_unknown_email_sends_nothing_and_reveals_nothing(client, db, mailoutbox):
    response = client.post("/password-reset/", {"email": "nobody@nowhere.example"})
    assert response["Location"] == "/password-reset/done/"
    assert mailoutbox == []


def test_an_invited_member_who_never_set_a_password_can_ask_for_a_new_link(client, tenant, mailoutbox):
    user, _ = services.user_get_or_create(email="invited@planet.example")
    services.membership_add(account=tenant.account, user=user)
    client.post("/password-reset/", {"email": "invited@planet.example"})
    assert len(mailoutbox) == 1


def test_the_new_password_must_pass_the_validators(client, tenant, mailoutbox):
    client.post("/password-reset/", {"email": tenant.admin.email})
    form_url = client.get(_reset_path(mailoutbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    tenant.admin.refresh_from_db()
    assert tenant.admin.check_password("correct horse battery staple")
