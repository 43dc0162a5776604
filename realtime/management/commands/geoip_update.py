"""`manage.py geoip_update --file PATH`: check a new GeoIP database and swap it in (see realtime.ingest.geo_files)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from realtime.ingest import geo, geo_files


class Command(BaseCommand):
    help = (
        "Validate a MaxMind-format City database (DB-IP Lite or GeoLite2 .mmdb) and install it where "
        "NowMetrix reads it: NOWMETRIX_GEOIP_PATH if set, else the state directory. Running processes "
        f"pick it up within {geo.RELOAD_CHECK_SECS:.0f} seconds, without a restart."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True, type=Path, help="the new .mmdb file")

    def handle(self, *args, **options):
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"{source} is not a file")
        try:
            summary = geo_files.validate(source)
        except geo_files.InvalidDatabase as exc:
            raise CommandError(f"{source} {exc}") from None
        destination = Path(getattr(settings, "NOWMETRIX_GEOIP_PATH", "") or geo.default_update_path())
        if destination.resolve() == source.resolve():
            raise CommandError(f"{source} is already the installed file; pass a copy")
        try:
            geo_files.install(source, destination)
        except OSError as exc:
            raise CommandError(f"cannot write {destination}: {exc}") from None
        self.stdout.write(f"Installed {summary} at {destination}.")
        self.stdout.write(f"Running processes switch to it within {geo.RELOAD_CHECK_SECS:.0f} seconds.")
