from django.contrib.auth import get_user_model

from trackers.models import Account, Membership, Role

User = get_user_model()

VALID = {"email": "Kara@DailyPlanet.example", "account_name": "Catco", "password1": "flying over metropolis",
         "password2": "flying over metropolis"}


def test_signing_up_creates_the_user_and_account_as_admin_and_logs_in(client, db):
    response = client.post("/signup", VALID)
    assert response.status_code == 302
    assert response["Location"] == "/trackers/"
    user = User.objects.get(email="kara@dailyplanet.example")
    assert user.check_password("flying over metropolis")
    account = Account.objects.get(name="Catco")
    assert Membership.objects.get(account=account, user=user).role == Role.ADMIN
    page = client.get("/trackers/")
    assert page.status_code == 200
    assert "Catco" in page.content.decode()
    assert 'href="/trackers/new"' in page.content.decode()


def test_invalid_signups_rerender_with_field_errors(client, tenant):
    cases = [
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"password1": "kara@dailyplanet", "password2": "kara@dailyplanet"}, "password1"),
        ({"email": "not an email"}, "email"),
        ({"account_name": ""}, "account_name"),
        ({"account_name": "daily planet"}, "account_name"),
    ]
    for change, field in cases:
        response = client.post("/signup", {**VALID, **change})
        assert response.status_code == 200, change
        assert response.context["form"].errors[field], change
        assert 'class="field has-error' in response.content.decode()
    assert not User.objects.filter(email="kara@dailyplanet.example").exists()
    assert not Account.objects.filter(name="Catco").exists()


def test_signing_up_with_an_existing_email_never_logs_into_that_user(client, tenant):
    response = client.post("/signup", {**VALID, "email": tenant.admin.email.upper()})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not Account.objects.filter(name="Catco").exists()
    assert "_auth_user_id" not in client.session
    tenant.admin.refresh_from_db()
    assert tenant.admin.check_password("correct horse battery staple")


def test_logged_in_users_are_sent_home_from_the_signup_page(client, tenant):
    client.force_login(tenant.admin)
    assert client.get("/signup")["Location"] == "/"
