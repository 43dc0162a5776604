from django.test import RequestFactory

from nowmetrix.client_address import client_address


def test_a_scope_and_a_request_from_the_same_client_give_the_same_address(settings):
    settings.NOWMETRIX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    scope = {"type": "http", "client": ("10.0.0.5", 4711), "headers": [(b"x-forwarded-for", b"198.51.100.4")]}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert client_address(scope) == client_address(request) == "198.51.100.4"


def test_the_client_address_ignores_the_forwarded_header_of_an_untrusted_peer(settings):
    settings.NOWMETRIX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    scope = {"type": "http", "client": ("203.0.113.7", 4711), "headers": [(b"x-forwarded-for", b"198.51.100.4")]}
    assert client_address(scope) == "203.0.113.7"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "203.0.113.7"


def test_a_request_through_a_trusted_proxy_gives_the_forwarded_client(settings):
    settings.NOWMETRIX_TRUSTED_PROXIES = ["127.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert client_address(request) == "198.51.100.9"
