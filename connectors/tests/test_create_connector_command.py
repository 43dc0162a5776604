"""`manage.py create_connector`: the issue's arguments, the ID as the last word, clear errors."""

import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from connectors.models import Connector
from connectors.tests import receiver as r


def _run(*args: str) -> str:
    out = StringIO()
    call_command("create_connector", *args, stdout=out)
    return out.getvalue()


def test_create_connector_creates_a_telegram_connector_and_prints_its_id_last(tenant):
    output = _run("--tracker", tenant.tracker.public_id, "--kind", "telegram", "--url", "https://api.telegram.org",
                  "--token", r.TELEGRAM_TOKEN, "--chat", r.TELEGRAM_CHAT, "--threshold", "25", "--min-minutes", "2",
                  "--hourly-limit", "3", "--stop-word", "Obituary", "sponsored content", "--stop-word", "Quiz")
    connector = Connector.objects.get()
    assert output.split()[-1] == connector.public_id
    assert (connector.account, connector.threshold, connector.min_minutes, connector.hourly_limit) == (
        tenant.account, 25, 2, 3)
    assert connector.stop_words == ["obituary", "sponsored content", "quiz"]
    channel = connector.channels.get()
    assert (channel.kind, channel.base_url) == ("telegram", "https://api.telegram.org")
    assert channel.credentials() == {"token": r.TELEGRAM_TOKEN, "chat": r.TELEGRAM_CHAT}


@pytest.mark.parametrize("kind,extra", [
    ("webhook", ["--url", "https://hooks.planet.example/nm", "--secret", r.WEBHOOK_SECRET]),
    ("slack", ["--url", f"https://hooks.slack.com{r.SLACK_PATH}"]),
    ("bluesky", ["--url", "https://bsky.social", "--handle", r.BLUESKY_HANDLE, "--app-password", r.BLUESKY_APP_PASSWORD]),
])
def test_create_connector_creates_each_kind(tenant, kind, extra):
    output = _run("--tracker", tenant.tracker.public_id, "--kind", kind, "--threshold", "5", *extra)
    assert Connector.objects.get(public_id=output.split()[-1]).channels.get().kind == kind


@pytest.mark.parametrize("args,message", [
    (["--tracker", "nope", "--kind", "slack", "--url", "https://hooks.slack.com/x", "--threshold", "5"],
     "No tracker with ID 'nope'."),
    (["--kind", "webhook", "--url", "not a url", "--secret", r.WEBHOOK_SECRET, "--threshold", "5"],
     "--url: Enter a valid http(s) URL."),
    (["--kind", "webhook", "--url", "https://x.example/h", "--threshold", "5"],
     "--secret: Enter a signing secret of at least 16 characters."),
    (["--kind", "telegram", "--token", "123", "--chat", r.TELEGRAM_CHAT, "--threshold", "5"],
     "--token: Enter the bot token BotFather gave you"),
    (["--kind", "slack", "--url", "https://hooks.slack.com/x", "--threshold", "0"],
     "--threshold: Ensure this value is greater than or equal to 1."),
    (["--kind", "slack", "--url", "https://hooks.slack.com/x", "--token", r.TELEGRAM_TOKEN, "--threshold", "5"],
     "--token do(es) not apply to --kind slack."),
])
def test_create_connector_refuses_bad_arguments_with_a_clear_error(tenant, args, message):
    if "--tracker" not in args:
        args = ["--tracker", tenant.tracker.public_id, *args]
    with pytest.raises(CommandError, match="^" + message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        _run(*args)
    assert not Connector.objects.exists()


def test_missing_arguments_exit_non_zero_with_a_clear_error():
    result = subprocess.run([sys.executable, "manage.py", "create_connector", "--tracker", "x", "--kind", "fax"],
                            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--kind: invalid choice: 'fax'" in result.stderr
