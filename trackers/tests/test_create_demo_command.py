import stat
from io import StringIO

from django.core.management import call_command

from trackers import services
from trackers.models import Account, ApiKey, Tracker


def run(key_file, *args) -> str:
    out = StringIO()
    call_command("create_demo", "--key-file", str(key_file), *args, stdout=out)
    return out.getvalue()


def test_create_demo_creates_a_ready_to_use_demo(client, db, tmp_path):
    key_file = tmp_path / ".nowmetrix" / "demo-api-key"
    output = run(key_file)
    tracker = Tracker.objects.get(account__name="Demo", name="Demo site")
    secret = key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert tracker.hosts == ["127.0.0.1", "localhost"]
    assert tracker.timezone == "UTC" and tracker.public_counter
    assert "http://127.0.0.1:8000/login" in output
    assert "demo@nowmetrix.local" in output and "nowmetrix-demo" in output
    assert tracker.public_id in output
    assert output.split()[-1] == secret
    assert client.login(username="demo@nowmetrix.local", password="nowmetrix-demo")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_running_create_demo_again_changes_nothing(db, tmp_path):
    key_file = tmp_path / "demo-api-key"
    first = run(key_file)
    second = run(key_file)
    assert first == second
    assert Account.objects.filter(name="Demo").count() == 1
    assert Tracker.objects.filter(name="Demo site").count() == 1
    assert ApiKey.objects.filter(account__name="Demo").count() == 1


def test_a_new_key_is_issued_when_the_kept_one_is_lost_or_revoked(db, tmp_path):
    key_file = tmp_path / "demo-api-key"
    first = run(key_file).split()[-1]
    services.api_key_revoke(api_key=ApiKey.objects.get(account__name="Demo"))
    second = run(key_file).split()[-1]
    assert second != first
    key_file.unlink()
    third = run(key_file).split()[-1]
    assert third not in (first, second)
    assert key_file.read_text().strip() == third


def test_create_demo_resets_the_password_and_reactivates_the_tracker(client, db, tmp_path):
    key_file = tmp_path / "demo-api-key"
    run(key_file)
    services.tracker_deactivate(tracker=Tracker.objects.get(name="Demo site"))
    output = run(key_file, "--password", "another demo pass", "--base-url", "https://demo.example/")
    assert Tracker.objects.get(name="Demo site").is_active
    assert "https://demo.example/login" in output
    assert client.login(username="demo@nowmetrix.local", password="another demo pass")
