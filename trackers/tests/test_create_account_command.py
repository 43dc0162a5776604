from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from trackers.models import Account, Membership, Role

User = get_user_model()


def run(*args) -> str:
    out = StringIO()
    call_command("create_account", *args, stdout=out)
    return out.getvalue()


def test_create_account_creates_the_account_with_its_owner_as_first_admin(db):
    output = run("--name", "Gotham Gazette", "--owner-email", "Vicki@Gazette.example", "--password", "bats in the belfry 9")
    account = Account.objects.get(name="Gotham Gazette")
    owner = User.objects.get(email="vicki@gazette.example")
    assert owner.check_password("bats in the belfry 9")
    assert Membership.objects.get(account=account, user=owner).role == Role.ADMIN
    assert "Gotham Gazette" in output


def test_an_existing_user_becomes_the_owner_with_their_password_unchanged(tenant):
    output = run("--name", "Planet Radio", "--owner-email", tenant.admin.email, "--password", "ignored")
    tenant.admin.refresh_from_db()
    assert tenant.admin.check_password("correct horse battery staple")
    assert Membership.objects.get(account__name="Planet Radio", user=tenant.admin).is_admin
    assert "left unchanged" in output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--name", "Daily Planet", "--owner-email", "lois@planet.example", "--password", "x"], "already have an account"),
        (["--name", "New", "--owner-email", "not-an-email", "--password", "long enough pass 1"], "not an email"),
        (["--name", "New", "--owner-email", "x@y.example", "--password", "123"], "too weak"),
        (["--name", " ", "--owner-email", "x@y.example", "--password", "long enough pass 1"], "must not be empty"),
        (["--owner-email", "x@y.example", "--password", "long enough pass 1"], "--name"),
    ],
)
def test_bad_arguments_fail_with_a_clear_error(tenant, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Account.objects.filter(name="New").exists()
    assert not User.objects.filter(email="x@y.example").exists()
