from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trackers.models import Tracker


def run(*args) -> str:
    out = StringIO()
    call_command("create_tracker", *args, stdout=out)
    return out.getvalue()


def test_create_tracker_creates_the_tracker_and_prints_its_id_as_the_last_word(tenant):
    output = run("--account", "Daily Planet", "--name", "Sports", "--host", "Sports.Planet.example",
                 "--host", "www.sports.planet.example", "--timezone", "Asia/Tokyo")
    tracker = Tracker.objects.get(public_id=output.split()[-1])
    assert tracker.account == tenant.account
    assert tracker.name == "Sports"
    assert tracker.hosts == ["sports.planet.example", "www.sports.planet.example"]
    assert tracker.timezone == "Asia/Tokyo"


def test_the_time_zone_defaults_to_the_accounts(tenant):
    output = run("--account", "daily-planet", "--name", "Sports", "--host", "sports.planet.example")
    assert Tracker.objects.get(public_id=output.split()[-1]).timezone == "Europe/Zurich"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--account", "Nope", "--name", "S", "--host", "s.example"], "No account named 'Nope'"),
        (["--account", "Daily Planet", "--name", "S", "--host", "s.example", "--timezone", "Mars/Base"], "timezone"),
        (["--account", "Daily Planet", "--name", "S", "--host", "http://"], "not a host name"),
        (["--account", "Daily Planet", "--name", "S"], "--host"),
    ],
)
def test_bad_arguments_fail_with_a_clear_error(tenant, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Tracker.objects.filter(name="S").exists()
