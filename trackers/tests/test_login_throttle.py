"""Failed logins are throttled per account and per client address (read as ingest reads it,
through NOWMETRIX_TRUSTED_PROXIES); the back-off ends by itself. The clock is driven: each test
runs in windows of its own (trackers/tests/conftest.py)."""

import pytest

from trackers import throttle

PASSWORD = "correct horse battery staple"
ATTACKER = "198.51.100.66"


@pytest.fixture
def clock(monkeypatch, settings):
    settings.NOWMETRIX_LOGIN_FAILURES_PER_ACCOUNT = 10
    settings.NOWMETRIX_LOGIN_FAILURES_PER_ADDRESS = 50
    settings.NOWMETRIX_LOGIN_WINDOW_SECS = 900
    now = {"t": throttle.clock()}  # this test's own windows (conftest.fresh_throttles)
    monkeypatch.setattr(throttle, "clock", lambda: now["t"])
    return now


def log_in(client, email, password, address=ATTACKER, **extra):
    return client.post("/login", {"username": email, "password": password}, REMOTE_ADDR=address, **extra)


def test_fifty_wrong_passwords_are_throttled_with_a_clear_message(client, tenant, clock):
    statuses = [log_in(client, tenant.admin.email, f"guess {i}").status_code for i in range(50)]

    assert statuses[:10] == [200] * 10  # the form's usual "wrong password"
    assert statuses[10:] == [429] * 40
    response = log_in(client, tenant.admin.email, "guess 51")
    assert "Too many failed logins for this account or from your network" in response.content.decode()
    assert 900 <= int(response["Retry-After"]) <= 1800


def test_the_right_password_is_refused_during_the_lockout(client, tenant, clock):
    for i in range(10):
        log_in(client, tenant.admin.email, f"guess {i}")

    response = log_in(client, tenant.admin.email, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_back_off_ends_at_the_end_of_the_next_window(client, tenant, clock):
    for i in range(10):
        log_in(client, tenant.admin.email, f"guess {i}")
    retry_after = int(log_in(client, tenant.admin.email, PASSWORD)["Retry-After"])

    clock["t"] += retry_after - 5
    assert log_in(client, tenant.admin.email, PASSWORD).status_code == 429
    clock["t"] += 5

    assert log_in(client, tenant.admin.email, PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_another_accounts_login_is_unaffected(client, tenant, outsider, clock):
    for i in range(20):
        log_in(client, tenant.admin.email, f"guess {i}")

    # From the same address (under its own limit) and from another one.
    assert log_in(client, outsider.admin.email, PASSWORD).status_code == 302
    client.post("/logout")
    assert log_in(client, outsider.admin.email, PASSWORD, address="203.0.113.9").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(client, tenant, clock):
    for i in range(50):
        log_in(client, f"user{i}@planet.example", "123456")

    assert log_in(client, tenant.admin.email, PASSWORD).status_code == 429
    assert log_in(client, tenant.admin.email, PASSWORD, address="203.0.113.9").status_code == 302


def test_a_success_clears_the_accounts_earlier_failures(client, tenant, clock):
    for i in range(9):
        log_in(client, tenant.admin.email, f"guess {i}")
    assert log_in(client, tenant.admin.email, PASSWORD).status_code == 302
    client.post("/logout")

    assert log_in(client, tenant.admin.email, "one more typo").status_code == 200
    assert log_in(client, tenant.admin.email, PASSWORD).status_code == 302


def test_the_address_is_read_through_trusted_proxies_only(client, db, clock, settings):
    settings.NOWMETRIX_LOGIN_FAILURES_PER_ADDRESS = 5
    for i in range(5):  # behind the local proxy, from one client
        log_in(client, f"user{i}@planet.example", "x", address="127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)

    behind_proxy = log_in(client, "someone@planet.example", "x", address="127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    another_client = log_in(client, "someone@planet.example", "x", address="127.0.0.1",
                            HTTP_X_FORWARDED_FOR="203.0.113.9")
    # An untrusted peer cannot escape its own count by claiming to forward for someone else.
    spoofed = [log_in(client, f"v{i}@planet.example", "x", address="192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
               for i in range(6)]

    assert behind_proxy.status_code == 429
    assert another_client.status_code == 200
    assert [r.status_code for r in spoofed] == [200] * 5 + [429]


def test_an_empty_password_does_not_clear_the_accounts_failures(client, tenant, clock):
    for i in range(9):
        log_in(client, tenant.admin.email, f"guess {i}")
    log_in(client, tenant.admin.email, "")

    assert log_in(client, tenant.admin.email, "guess 10").status_code == 200
    assert log_in(client, tenant.admin.email, PASSWORD).status_code == 429


def test_logins_still_work_when_the_cache_is_unreachable(client, tenant, clock, settings):
    from devstack.processes import free_port

    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}

    assert log_in(client, tenant.admin.email, "wrong").status_code == 200
    assert log_in(client, tenant.admin.email, PASSWORD).status_code == 302
