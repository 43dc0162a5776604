"""Changing one's password: the old one first, the validators apply, the session stays."""


def test_a_member_changes_their_password_and_stays_logged_in(client, tenant, editor):
    client.force_login(editor)
    response = client.post("/account/password", {"old_password": "correct horse battery staple",
                                                  "new_password1": "a brand new secret 7",
                                                  "new_password2": "a brand new secret 7"})

    assert response["Location"] == "/"
    editor.refresh_from_db()
    assert editor.check_password("a brand new secret 7")
    page = client.get("/trackers/")
    assert page.status_code == 200
    assert "Your password was changed" in page.content.decode()


def test_a_wrong_old_password_or_a_weak_new_one_is_refused(client, tenant):
    client.force_login(tenant.admin)
    for data, field in [({"old_password": "wrong", "new_password1": "a brand new secret 7",
                          "new_password2": "a brand new secret 7"}, "old_password"),
                        ({"old_password": "correct horse battery staple", "new_password1": "123",
                          "new_password2": "123"}, "new_password2")]:
        response = client.post("/account/password", data)
        assert response.status_code == 200
        assert response.context["form"].errors[field]
    tenant.admin.refresh_from_db()
    assert tenant.admin.check_password("correct horse battery staple")


def test_a_user_without_an_account_may_change_their_password_too(client, db):
    from trackers import services

    user, _ = services.user_get_or_create(email="left@planet.example", password="correct horse battery staple")
    client.force_login(user)
    assert client.get("/account/password").status_code == 200
