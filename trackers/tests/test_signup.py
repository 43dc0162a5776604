"""Signup in two steps: the form answers the same for every email and mails the next step; the
mailed link finishes a new signup (password, account time zone) and logs the new Admin in. An
address that already has a login gets a note instead, and nothing is created."""

import re

from django.contrib.auth import get_user_model

from trackers.models import Account, Membership, Role

User = get_user_model()

VALID = {"email": "Kara@DailyPlanet.example", "account_name": "Catco"}
PASSWORD = {"new_password1": "flying over metropolis", "new_password2": "flying over metropolis",
            "timezone": "Europe/Zurich"}


def _confirm_path(mail) -> str:
    return re.search(r"http://testserver(/signup/confirm/\S+)", mail.body).group(1)


def test_signing_up_mails_a_link_that_creates_the_account_and_logs_in(client, db, mailoutbox):
    response = client.post("/signup", VALID)
    assert response["Location"] == "/signup/sent"
    assert "kara@dailyplanet.example" in client.get("/signup/sent").content.decode()
    assert not User.objects.filter(email="kara@dailyplanet.example").exists()  # nothing until the link
    assert mailoutbox[0].to == ["kara@dailyplanet.example"]

    path = _confirm_path(mailoutbox[0])
    assert "Catco" in client.get(path).content.decode()
    response = client.post(path, PASSWORD)

    assert response["Location"] == "/trackers/"
    user = User.objects.get(email="kara@dailyplanet.example")
    assert user.check_password("flying over metropolis")
    account = Account.objects.get(name="Catco")
    assert account.timezone == "Europe/Zurich"
    assert Membership.objects.get(account=account, user=user).role == Role.ADMIN
    page = client.get("/trackers/").content.decode()
    assert "Catco" in page
    assert 'href="/trackers/new"' in page


def test_a_registered_email_gets_the_same_answer_and_a_note_by_mail(client, tenant, mailoutbox):
    new = client.post("/signup", {**VALID, "email": "nobody@dailyplanet.example"})
    known = client.post("/signup", {**VALID, "email": tenant.admin.email.upper()})

    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"]) == (302, "/signup/sent")
    assert "_auth_user_id" not in client.session
    assert not Account.objects.filter(name="Catco").exists()
    note = mailoutbox[1]
    assert note.to == [tenant.admin.email]
    assert "already\nhas a login" in note.body
    assert "/password-reset/" in note.body
    assert "/signup/confirm/" not in note.body
    tenant.admin.refresh_from_db()
    assert tenant.admin.check_password("correct horse battery staple")


def test_a_signup_link_works_once(client, db, mailoutbox):
    client.post("/signup", VALID)
    path = _confirm_path(mailoutbox[0])
    client.post(path, PASSWORD)
    client.post("/logout")

    response = client.post(path, {**PASSWORD, "new_password1": "another secret 99", "new_password2": "another secret 99"})

    assert "This link is invalid or has expired" in response.content.decode()
    assert User.objects.get(email="kara@dailyplanet.example").check_password("flying over metropolis")
    assert Account.objects.filter(name="Catco").count() == 1


def test_a_forged_or_altered_link_is_refused(client, db, mailoutbox):
    client.post("/signup", VALID)
    path = _confirm_path(mailoutbox[0])

    for bad in ("/signup/confirm/forged", path[:-3] + "xyz"):
        assert "This link is invalid or has expired" in client.get(bad).content.decode()
    assert not User.objects.exists()


def test_invalid_input_rerenders_with_field_errors(client, db, mailoutbox):
    for change, field in [({"email": "not an email"}, "email"), ({"account_name": ""}, "account_name")]:
        response = client.post("/signup", {**VALID, **change})
        assert response.status_code == 200, change
        assert response.context["form"].errors[field], change
    client.post("/signup", VALID)
    path = _confirm_path(mailoutbox[0])
    for change, field in [({"new_password2": "something else entirely"}, "new_password2"),
                          ({"new_password1": "123", "new_password2": "123"}, "new_password2"),
                          ({"timezone": "US/Pacific"}, "timezone")]:
        response = client.post(path, {**PASSWORD, **change})
        assert response.status_code == 200, change
        assert response.context["form"].errors[field], change
        assert 'class="field has-error' in response.content.decode()
    assert not User.objects.filter(email="kara@dailyplanet.example").exists()


def test_a_second_account_may_take_a_name_already_in_use(client, tenant, mailoutbox):
    client.post("/signup", {"email": "perry@otherplanet.example", "account_name": "Daily Planet"})
    client.post(_confirm_path(mailoutbox[0]), PASSWORD)

    second = Account.objects.exclude(pk=tenant.account.pk).get(name="Daily Planet")
    assert second.slug == "daily-planet-2"
    assert tenant.account.slug == "daily-planet"


def test_signup_mails_are_rate_limited(client, db, mailoutbox, settings):
    settings.NOWMETRIX_AUTH_MAILS_PER_RECIPIENT = 2
    statuses = [client.post("/signup", VALID).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mailoutbox) == 2


def test_logged_in_users_are_sent_home_from_the_signup_page(client, tenant):
    client.force_login(tenant.admin)
    assert client.get("/signup")["Location"] == "/"
