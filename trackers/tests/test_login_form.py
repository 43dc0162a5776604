"""The login form asks for what members log in with, their email: labelled Email, an email input
that password managers fill as the sign-in name, and errors that speak of the email, not of a
"username"."""

from __future__ import annotations

import re


def _username_input(html: str) -> str:
    return re.search(r'<input[^>]*name="username"[^>]*>', html).group(0)


def test_the_login_field_is_an_email_input_labelled_email(client, db):
    html = client.get("/login").content.decode()
    field = _username_input(html)
    assert 'type="email"' in field
    assert 'autocomplete="username"' in field
    assert '<label for="id_username">Email</label>' in html
    assert "Username" not in html


def test_a_wrong_password_error_speaks_of_the_email(client, tenant):
    html = client.post("/login", {"username": tenant.admin.email, "password": "wrong"}).content.decode()
    assert "Please enter a correct email and password." in html
    assert "correct username" not in html


def test_a_staff_username_without_an_at_sign_still_logs_in(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.com", "correct horse battery staple")
    response = client.post("/login", {"username": "root", "password": "correct horse battery staple"})
    assert response.status_code == 302
