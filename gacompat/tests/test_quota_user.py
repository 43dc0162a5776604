"""The GA quota user: `quotaUser`, else `userIp`, else the client's address, read as every other
caller reads it (nowmetrix.client_address: X-Forwarded-For only from NOWMETRIX_TRUSTED_PROXIES)."""

from django.test import RequestFactory

from gacompat.quotas import quota_user


def _user(**meta) -> str:
    return quota_user(RequestFactory().get("/", **meta))


def test_the_quota_user_behind_a_trusted_proxy_is_the_forwarded_client(settings):
    settings.NOWMETRIX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    first = _user(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.21")
    assert first == _user(REMOTE_ADDR="10.0.0.6", HTTP_X_FORWARDED_FOR="203.0.113.21")
    assert first == _user(REMOTE_ADDR="203.0.113.21")
    assert first != _user(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.22")


def test_the_quota_user_ignores_a_forwarded_address_from_an_untrusted_peer(settings):
    settings.NOWMETRIX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    peer = _user(REMOTE_ADDR="203.0.113.31")
    assert _user(REMOTE_ADDR="203.0.113.31", HTTP_X_FORWARDED_FOR="198.51.100.1") == peer
    assert _user(REMOTE_ADDR="203.0.113.31", HTTP_X_FORWARDED_FOR="198.51.100.2") == peer
    assert _user(REMOTE_ADDR="198.51.100.1") != peer


def test_a_named_quota_user_wins_over_the_address(settings):
    settings.NOWMETRIX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    named = quota_user(RequestFactory().get("/", {"quotaUser": "wp-site-a"}, REMOTE_ADDR="203.0.113.31"))
    assert named == quota_user(RequestFactory().get("/", {"quotaUser": "wp-site-a"}, REMOTE_ADDR="203.0.113.32"))
    assert named != _user(REMOTE_ADDR="203.0.113.31")
