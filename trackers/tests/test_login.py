def test_members_log_in_with_their_email_in_any_case(client, tenant):
    response = client.post("/login", {"username": "Lois@Planet.Example", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/trackers/").status_code == 200


def test_login_returns_to_the_page_asked_for(client, tenant):
    response = client.post("/login?next=/keys/", {"username": tenant.admin.email,
                                                   "password": "correct horse battery staple", "next": "/keys/"})
    assert response["Location"] == "/keys/"


def test_a_wrong_password_rerenders_the_form_with_an_error(client, tenant):
    response = client.post("/login", {"username": tenant.admin.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_invited_user_without_a_password_cannot_log_in(client, tenant):
    from trackers import services

    services.user_get_or_create(email="invited@planet.example")
    response = client.post("/login", {"username": "invited@planet.example", "password": ""})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logging_out_takes_a_post_and_ends_the_session(client, tenant):
    client.force_login(tenant.admin)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302
    assert response["Location"] == "/login"
    assert client.get("/trackers/").status_code == 302


def test_the_login_page_links_to_signup_and_password_reset(client, db):
    content = client.get("/login").content.decode()
    assert 'href="/signup"' in content
    assert 'href="/password-reset/"' in content
