"""`manage.py simulate_traffic`: simulated visitors against a running NowMetrix (see devstack.simulator).

Only parses arguments; the traffic and its ground truth live in `devstack.simulator`."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from devstack import simulator


def _positive(kind):
    def parse(raw: str):
        value = kind(raw)
        if value <= 0:
            raise ValueError(raw)
        return value

    parse.__name__ = kind.__name__
    return parse


class Command(BaseCommand):
    help = (
        "Send simulated visitors (pageviews, heartbeats, leaves, events, pixel hits) to a running NowMetrix "
        "through its real ingest endpoints. Visitor IPs travel in X-Forwarded-For, which the server trusts "
        "from loopback only: point it at a local server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="The NowMetrix server.")
        parser.add_argument("--site", required=True, help="The tracker's public ID.")
        parser.add_argument("--host", default="localhost", help="Host of the simulated pages (one of the tracker's).")
        parser.add_argument("--visitors", type=_positive(int), default=50, help="Visitors on the site at once.")
        parser.add_argument("--rate", type=_positive(float), default=20.0, help="Hits per second in all.")
        parser.add_argument("--duration", type=float, default=60.0, help="Seconds to run; 0 runs until stopped.")
        parser.add_argument("--seed", type=int, default=None, help="Fixed seed: the same run sends the same hits.")
        parser.add_argument("--bots", action="store_true", help="Also send some crawler hits (the server drops them).")
        parser.add_argument("--connections", type=_positive(int), default=8, help="Keep-alive connections.")
        parser.add_argument("--window-secs", type=_positive(int), default=300, help="The tracker's live window.")
        parser.add_argument("--print-truth", action="store_true", help="Print the ground truth as JSON at the end.")

    def handle(self, *args, **opts):
        if opts["duration"] < 0:
            raise CommandError("--duration must be 0 (until stopped) or more.")
        if not opts["base_url"].startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://.")
        options = simulator.Options(
            base_url=opts["base_url"].rstrip("/"), site=opts["site"], host=opts["host"], visitors=opts["visitors"],
            rate=opts["rate"], duration=opts["duration"], seed=opts["seed"], bots=opts["bots"],
            connections=opts["connections"], window_secs=opts["window_secs"],
        )
        truth = simulator.run_until_signalled(options, progress=self._progress)
        self._progress(truth)
        if opts["print_truth"]:
            self.stdout.write(json.dumps(truth.report(), indent=2, ensure_ascii=False))

    def _progress(self, truth: simulator.Truth) -> None:
        sent = sum(n for kind, n in truth.hits.items() if kind != "bot")
        error = f" (last: {truth.last_error})" if truth.errors else ""
        print(f"simulate_traffic: {sent} hits answered, {len(truth.active)} visitors active, "
              f"{truth.errors} errors{error}", file=sys.stderr, flush=True)
