from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trackers import keys, services
from trackers.models import ApiKey, Scope


def run(*args) -> str:
    out = StringIO()
    call_command("create_api_key", *args, stdout=out)
    return out.getvalue()


def test_create_api_key_issues_a_full_key_for_all_trackers_and_prints_the_secret_last(client, tenant):
    output = run("--account", "Daily Planet", "--name", "ops")
    secret = output.split()[-1]
    api_key = ApiKey.objects.get(hashed_secret=keys.api_key_hash(secret))
    assert (api_key.name, api_key.scope, api_key.all_trackers) == ("ops", Scope.FULL, True)
    assert output.count(secret) == 1
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_create_api_key_issues_a_read_only_key_limited_to_chosen_trackers(tenant):
    other = services.tracker_create(account=tenant.account, name="Sports", hosts=["sports.planet.example"])
    secret = run("--account", "Daily Planet", "--read-only", "--tracker", other.public_id).split()[-1]
    api_key = ApiKey.objects.get(hashed_secret=keys.api_key_hash(secret))
    assert api_key.scope == Scope.READ_ONLY
    assert list(api_key.trackers.all()) == [other]


@pytest.mark.parametrize("which", ["unknown", "foreign"])
def test_trackers_outside_the_account_fail_with_a_clear_error(tenant, outsider, which):
    public_id = "nosuchtracker" if which == "unknown" else outsider.tracker.public_id
    with pytest.raises(CommandError, match=f"No tracker '{public_id}' in account 'Daily Planet'"):
        run("--account", "Daily Planet", "--tracker", public_id)
    assert ApiKey.objects.filter(account=tenant.account).count() == 1


def test_an_unknown_account_fails_with_a_clear_error(db):
    with pytest.raises(CommandError, match="No account named 'Nope'"):
        run("--account", "Nope")
