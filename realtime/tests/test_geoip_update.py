"""`manage.py geoip_update --file PATH`: a new GeoIP database is validated, swapped in atomically,
and picked up by a running process within a minute, without a restart; the licence's credit
shows in the web admin's footer."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from realtime.ingest import geo


@pytest.fixture
def bundled(tmp_path):
    """A copy of the shipped DB-IP file, standing in for a freshly downloaded one."""
    geo.clear_cache()
    src = tmp_path / "download" / "dbip-city-lite.mmdb"
    src.parent.mkdir()
    shutil.copyfile(geo.database_path(), src)
    yield src
    geo.clear_cache()


@pytest.fixture
def target(tmp_path, settings):
    settings.NOWMETRIX_GEOIP_PATH = str(tmp_path / "live" / "city.mmdb")
    return tmp_path / "live" / "city.mmdb"


def test_geoip_update_installs_a_valid_database_where_the_processes_read_it(bundled, target, capsys):
    call_command("geoip_update", "--file", str(bundled))
    assert target.read_bytes() == bundled.read_bytes()
    assert "DBIP-City-Lite" in capsys.readouterr().out
    assert geo.locate("8.8.8.8").country_code == "US"


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_geoip_update_refuses_a_file_that_is_not_a_maxmind_database_and_keeps_the_old_one(tmp_path, target, content):
    target.parent.mkdir(parents=True)
    target.write_bytes(b"the old file")
    bad = tmp_path / "bad.mmdb"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match="cannot be opened"):
        call_command("geoip_update", "--file", str(bad))
    assert target.read_bytes() == b"the old file"
    assert [p.name for p in target.parent.iterdir()] == ["city.mmdb"]  # no temporary file left


def test_geoip_update_refuses_a_missing_file(tmp_path, target):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("geoip_update", "--file", str(tmp_path / "nope.mmdb"))


def test_a_running_process_reopens_a_swapped_file_at_its_next_check(bundled, target, monkeypatch):
    call_command("geoip_update", "--file", str(bundled))
    clock = [1000.0]
    monkeypatch.setattr(geo.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(geo, "_next_check", 0.0)
    assert geo.locate("8.8.8.8").country_code == "US"
    first_reader = geo._reader

    call_command("geoip_update", "--file", str(bundled))  # a new file: new inode, new mtime
    geo.locate("1.1.1.1")
    assert geo._reader is first_reader  # before the check is due, nothing is re-read

    clock[0] += geo.RELOAD_CHECK_SECS
    assert geo.locate("8.8.8.8").country_code == "US"
    assert geo._reader is not first_reader


def test_without_a_configured_path_geoip_update_installs_into_the_state_directory(bundled, tmp_path, settings, monkeypatch):
    settings.NOWMETRIX_GEOIP_PATH = ""
    monkeypatch.setenv("NOWMETRIX_STATE_DIR", str(tmp_path / "state"))
    call_command("geoip_update", "--file", str(bundled))
    assert geo.database_path() == str(tmp_path / "state" / "geoip" / "city.mmdb")


def test_the_admin_footer_credits_the_geoip_database(client, tenant):
    client.force_login(tenant.admin)
    response = client.get("/trackers/")
    credit = b'<footer><a href="https://db-ip.com" rel="noopener">IP Geolocation by DB-IP</a></footer>'
    assert credit in response.content
