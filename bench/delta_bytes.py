"""What a delta frame is made of, at 100,000 visitors under the fan-out bench's steady traffic
(bench/fanout.py: visitors spread over the 300 s window in 60 slices, 333 new ones a second,
one build a second). Bytes only, so the clock is driven (fixed `now`s) and visitor ids are
seeded: the same code gives the same bytes on any machine at any load.

    python -m bench.delta_bytes [--visitors 100000] [--builds 10]

Prints each build's delta frame size, then the median build's frame by part: the bytes of each
field's `"name":value` (indexes of rows shown as `*`, new rows as `+`), nested parts indented
under the part that holds them. Uses the machine's Redis (REDIS_URL) under a private key
prefix, removed at the end."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
import uuid
from collections import defaultdict
from types import SimpleNamespace

from realtime import payloads  # pure: no Django

PREFIX = f"nmbytes-{uuid.uuid4().hex[:8]}"
WINDOW_SECS, SLICES = 300, 60


def _setup() -> None:
    os.environ["NOWMETRIX_REDIS_PREFIX"] = PREFIX
    os.environ.setdefault("NOWMETRIX_ALLOW_DEV_SECRET", "1")
    os.environ.setdefault("NOWMETRIX_INSTANCE_FILE", "")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nowmetrix.settings")
    import django

    django.setup()


def frames(visitors: int, builds: int) -> list[str]:
    """The delta frames of `builds` successive builds (the first build, a whole frame, left out)."""
    from bench import synthetic
    from realtime import events, services

    ids = random.Random(5)
    synthetic.secrets = SimpleNamespace(token_urlsafe=lambda n: "%0*x" % (2 * n, ids.getrandbits(8 * n)))
    site = synthetic.new_site_id(random.Random(1))
    config = synthetic.publish_tracker(site)
    universe, rng = synthetic.Universe.make(), random.Random(8)
    now = float(int(time.time()) // 60 * 60 + 20)  # the same second of a minute: the same series bytes
    for i in range(SLICES):  # last seen spread over the window: as many leave as arrive
        synthetic.load_visitors(config, visitors // SLICES, now=now - i * (WINDOW_SECS - 5) / SLICES,
                                universe=universe, seed=1000 + i)
    out = []
    for k in range(builds + 1):
        if k:
            synthetic.load_visitors(config, visitors // WINDOW_SECS, now=now + k, universe=universe,
                                    seed=rng.randrange(1 << 30))
        built: list = []
        services.tracker_tick(config, now + k, announcements=built)
        if k:
            out.append(events.snapshot_event(site, built[0].snapshot)["frame"])
    return out


def _size(value) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def parts(value, path: tuple = (), out: dict | None = None, name: str = "") -> dict[tuple, int]:
    """Bytes by part: each object field's `"name":value` (with its comma), each list item; the
    rows' changes of a list patch by field (`payloads.ROW_FIELDS`), a bare count as `+n`."""
    row_fields = getattr(payloads, "ROW_FIELDS", payloads.ROW_IDENTITY)  # also reads the first delta format

    out = defaultdict(int) if out is None else out
    if isinstance(value, dict):
        for field, child in value.items():
            key = path + ("*" if field.isdigit() else field,)
            out[key] += _size(field) + 1 + _size(child) + 1
            if field == "u" and isinstance(child, list) and name in row_fields:
                _row_changes(name, child, key, out)
            else:
                parts(child, key, out, field if field in row_fields else "" if field in ("o", "u") else name)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for child in value:
            key = path + ("+" if isinstance(child, dict) else "[i,n]" if isinstance(child, list) else "[i]",)
            out[key] += _size(child) + 1
            parts(child, key, out, name)
    return out


def _row_changes(name: str, updates: list, path: tuple, out: dict) -> None:
    fields = payloads.ROW_FIELDS[name]
    for index, change in zip(updates[::2], updates[1::2]):
        out[path + ("(index)",)] += _size(index) + 1
        if isinstance(change, int):
            out[path + ("+n",)] += _size(change) + 1
            continue
        for i, value in zip(change[::2], change[1::2]):
            key = path + (fields[i],)
            out[key] += _size(i) + 1 + _size(value) + 1
            parts(value, key, out, fields[i])


def report(frame: str, min_bytes: int) -> str:
    table = parts(json.loads(frame))
    lines = []
    for key in sorted(table):
        if table[key] >= min_bytes:
            lines.append(f"{'  ' * (len(key) - 1)}{key[-1]:<24}{table[key]:>8,}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.delta_bytes", description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=100_000)
    parser.add_argument("--builds", type=int, default=10)
    parser.add_argument("--min-bytes", type=int, default=100, help="leave out parts smaller than this")
    parser.add_argument("--largest", action="store_true", help="show the largest frame by part, not the median one")
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings

    from nowmetrix.pytest_plugin import delete_keys

    try:
        sent = frames(args.visitors, args.builds)
    finally:
        delete_keys(settings.REDIS_URL, PREFIX)
    sizes = [len(f.encode()) for f in sent]
    ranked = sorted(range(len(sent)), key=lambda i: sizes[i])
    shown = ranked[-1] if args.largest else ranked[len(sent) // 2]
    print(f"delta frames at {args.visitors:,} visitors, {args.visitors // WINDOW_SECS} arriving a second: "
          f"{', '.join(f'{n:,}' for n in sizes)} bytes; median {statistics.median(sizes):,.0f}, "
          f"mean {statistics.mean(sizes):,.0f}")
    print(f"build {shown + 1} ({sizes[shown]:,} bytes) by part:")
    print(report(sent[shown], args.min_bytes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
