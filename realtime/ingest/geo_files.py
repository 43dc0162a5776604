"""Checking and installing a new GeoIP database file (``manage.py geoip_update``).

A file is accepted only if maxminddb opens it, it has the GeoIP2/GeoLite2 City or Country
layout that `geo.locate` reads, and it places well-known addresses in a country. It is then
copied next to its destination and renamed over it (atomic on one filesystem), so a running
process never opens half a file; each process reopens it within `geo.RELOAD_CHECK_SECS`.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

import maxminddb

# Public resolvers whose country has been stable for years: a database that cannot place
# any of them is not an IP-to-location database.
_PROBES = ("8.8.8.8", "1.1.1.1", "9.9.9.9", "2001:4860:4860::8888")


class InvalidDatabase(ValueError):
    """The file is not a usable MaxMind-format City or Country database."""


def validate(path: Path) -> str:
    """A one-line description of the database at `path`; raises InvalidDatabase."""
    try:
        reader = maxminddb.open_database(str(path), maxminddb.MODE_AUTO)
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        raise InvalidDatabase(f"cannot be opened as a MaxMind database: {exc}") from None
    try:
        meta = reader.metadata()
        kind = str(meta.database_type)
        if "city" not in kind.lower() and "country" not in kind.lower():
            raise InvalidDatabase(f"is a {kind!r} database; a City (or Country) database is needed")
        placed = 0
        for ip in _PROBES:
            try:
                record = reader.get(ip)
            except ValueError:
                continue  # an IPv4-only file asked about IPv6
            country = record.get("country") if isinstance(record, dict) else None
            if isinstance(country, dict) and country.get("iso_code"):
                placed += 1
        if not placed:
            raise InvalidDatabase("places none of the probe addresses in a country (not the GeoIP2 layout?)")
        built = datetime.datetime.fromtimestamp(meta.build_epoch, datetime.UTC).date()
        return f"{kind}, built {built.isoformat()}, {meta.node_count:,} nodes, IPv{meta.ip_version}"
    finally:
        reader.close()


def install(source: Path, destination: Path) -> None:
    """Copy `source` over `destination` atomically (temporary file in the same directory, rename)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".geoip-", suffix=".mmdb", dir=destination.parent)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
