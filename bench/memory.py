"""Item 5: Redis bytes per active visitor: everything the live state keeps, measured as the
growth of `used_memory` while 100,000 visitors (one pageview each) are loaded into a fresh
tracker, divided by the visitors. On the bench's private Redis nothing else runs, so the
difference is clean. Per-key `MEMORY USAGE` gives the breakdown (visitor set, records,
counters, the 30-minute hit log, the day's keys). The floor beside it is the visitors' records
alone (the `:vis` hash, id -> packed record), from the same breakdown; the hit log's bytes per
logged hit are its keys (`:hl:<minute>`, `:mpg:<minute>`, `:hprof`) over the hits logged."""

from __future__ import annotations

import gc
import time

from bench import synthetic
from bench.report import SectionResult
from realtime import keys, live_state

VISITORS = 100_000
HIT_LOG_GROUPS = ("hl", "mpg", "hprof")  # key groups (first suffix part) of the 30-minute hit log


def _used(conn) -> int:
    return int(conn.info("memory")["used_memory"])


def breakdown(site: str) -> dict[str, int]:
    conn = live_state.client()
    base = keys.tracker_base(site)
    out: dict[str, int] = {}
    for key in conn.scan_iter(match=f"{base}:*", count=2000):
        suffix = key[len(base) + 1:]
        group = suffix.split(":", 1)[0]
        out[group] = out.get(group, 0) + int(conn.memory_usage(key, samples=0) or 0)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def run(ctx) -> SectionResult:
    res = SectionResult("memory")
    visitors = 20_000 if ctx.quick else VISITORS
    conn = live_state.client()
    universe = synthetic.Universe.make()
    res.details = {"visitors": visitors, "private_redis": ctx.env.private_redis, "runs": []}
    if not ctx.env.private_redis:
        res.notes.append("measured on a shared Redis: other clients' writes would be counted too")
    for run_i in range(ctx.runs):
        config = synthetic.publish_tracker(synthetic.new_site_id())
        gc.collect()
        before = _used(conn)
        synthetic.load_visitors(config, visitors, now=time.time(), universe=universe, seed=300 + run_i)
        after = _used(conn)
        parts = breakdown(config.public_id)
        total = after - before
        res.add("memory.bytes_per_visitor", total / visitors)
        hit_log = sum(parts.get(group, 0) for group in HIT_LOG_GROUPS)
        res.add("memory.bytes_per_visitor_without_hit_log", (total - hit_log) / visitors)
        res.add("memory.hit_log_bytes_per_hit", hit_log / visitors)  # one logged pageview per visitor
        res.add("memory.floor_records_bytes_per_visitor", parts.get("vis", 0) / visitors)
        res.details["runs"].append({"used_memory_delta": total, "memory_usage_by_key_group": parts,
                                    "per_visitor_by_key_group": {k: round(v / visitors, 1) for k, v in parts.items()}})
        ctx.remember_tracker(config.public_id)
    return res
