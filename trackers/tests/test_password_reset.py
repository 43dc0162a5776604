import re

from trackers import services


def _reset_path(mail) -> str:
    return re.search(r"http://testserver(/password-reset/\S+/)", mail.body).group(1)


def test_a_member_resets_their_password_from_an_emailed_link_and_is_logged_in(client, tenant, mailoutbox):
    response = client.post("/password-reset/", {"email": "LOIS@planet.example"})
    assert response["Location"] == "/password-reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [tenant.admin.email]
    form_url = client.get(_reset_path(mailoutbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "a brand new secret 7", "new_password2": "a brand new secret 7"})
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == tenant.admin.pk
    assert "Your password is set" in client.get("/trackers/").content.decode()
    tenant.admin.refresh_from_db()
    assert tenant.admin.check_password("a brand new secret 7")


def test_an_invited_member_is_logged_in_after_choosing_a_password(client, tenant, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_invite(account=tenant.account, email="kara@planet.example", base_url="http://testserver")
    path = re.search(r"http://testserver(/password-reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(path)["Location"]
    response = client.post(form_url, {"new_password1": "a brand new secret 7", "new_password2": "a brand new secret 7"})
    assert response["Location"] == "/"
    page = client.get("/trackers/")
    assert page.status_code == 200
    assert "Daily Planet" in page.content.decode()


def test_reset_mails_are_rate_limited_per_recipient(client, tenant, mailoutbox, settings):
    settings.NOWMETRIX_AUTH_MAILS_PER_RECIPIENT = 3
    statuses = [client.post("/password-reset/", {"email": tenant.admin.email}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mailoutbox) == 3
    response = client.post("/password-reset/", {"email": tenant.admin.email})
    assert "Too many requests for this address or from your network" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_reset_mails_are_rate_limited_per_client_address(client, db, settings):
    settings.NOWMETRIX_AUTH_MAILS_PER_ADDRESS = 4
    statuses = [client.post("/password-reset/", {"email": f"n{i}@nowhere.example"}, REMOTE_ADDR="198.51.100.8").status_code
                for i in range(5)]
    assert statuses == [302] * 4 + [429]
    assert client.post("/password-reset/", {"email": "n9@nowhere.example"}, REMOTE_ADDR="203.0.113.8").status_code == 302


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
