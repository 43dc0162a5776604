"""A form body Django refuses to decode (declared in another charset than UTF-8) is a 400 page on
every form, never a bare 500: the 400 and 500 pages read nothing of the request (Django's own
take a CSRF token first, which reads the body again and fails once more)."""

from __future__ import annotations

import pytest
from django.test import Client

FORMS = ["/login", "/signup", "/password-reset/", "/trackers/new", "/keys/new", "/members/invite",
         "/account/settings", "/account/password", "/settings/connectors/new"]
ANONYMOUS = {"/login", "/signup", "/password-reset/"}
TOKEN = "k" * 32


@pytest.mark.parametrize("path", FORMS)
def test_a_form_body_in_another_charset_is_a_400(tenant, path):
    for client in (Client(enforce_csrf_checks=True), Client()):
        if path not in ANONYMOUS:
            client.force_login(tenant.admin)
        # A valid CSRF pair; the token goes in the header, as the form's field cannot be read.
        client.cookies["csrftoken"] = TOKEN
        response = client.post(path, data="name=x", headers={"X-CSRFToken": TOKEN},
                               content_type="application/x-www-form-urlencoded; charset=utf-16")
        assert response.status_code == 400, path
        assert b"Bad Request (400)" in response.content
