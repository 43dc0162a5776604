"""Every figure the bench reports: its stable key (in `bench/results.json` and the table), the
section that measures it, its label and unit, and its target where the issue set one."""

from __future__ import annotations

from dataclasses import dataclass

SNAPSHOT_SIZES = (1_000, 10_000, 100_000, 1_000_000)


@dataclass(frozen=True)
class Figure:
    key: str
    section: str
    label: str
    unit: str
    target: str = ""  # as shown, e.g. "<= 10"
    op: str = ""  # "<=", ">=", "<", "==" against `limit`
    limit: float | None = None

    def met(self, value: float | None) -> bool | None:
        if value is None or not self.op:
            return None
        return {"<=": value <= self.limit, ">=": value >= self.limit, "<": value < self.limit,
                "==": value == self.limit}[self.op]


def _f(key, section, label, unit, op="", limit=None) -> Figure:
    return Figure(key, section, label, unit, f"{op} {limit:g}" if op else "", op, limit)


FIGURES: list[Figure] = [
    # 1-2 ingest, measured with 1 and 2 server processes
    *[f for w in (1, 2) for f in (
        _f(f"ingest.w{w}.floor_rps", "ingest", f"bare ASGI GIF floor, {w} worker(s)", "req/s"),
        _f(f"ingest.w{w}.max_rps", "ingest", f"ingest max rate, {w} worker(s)", "req/s"),
        _f(f"ingest.w{w}.pct_of_floor", "ingest", f"ingest / floor, {w} worker(s)", "%", ">=", 40),
        _f(f"ingest.w{w}.paced_rps", "ingest", f"paced rate (80% of max), {w} worker(s)", "req/s"),
        _f(f"ingest.w{w}.p50_ms_at_80pct", "ingest", f"p50 at 80% of max, {w} worker(s)", "ms"),
        _f(f"ingest.w{w}.p99_ms_at_80pct", "ingest", f"p99 at 80% of max, {w} worker(s)", "ms", "<", 20),
        _f(f"ingest.w{w}.hits_lost", "ingest", f"hits lost (accepted - counted), {w} worker(s)", "hits", "==", 0),
    )],
    _f("ingest.scaling_w2_over_w1", "ingest", "ingest max rate, 2 workers / 1 worker", "x"),
    _f("ingest.floor_scaling_w2_over_w1", "ingest", "floor max rate, 2 workers / 1 worker", "x"),
    # the pageview-only mix (5 pageviews per visitor), 1 worker
    _f("ingest.pv.w1.max_rps", "ingest", "pageview-only ingest max rate, 1 worker", "req/s"),
    _f("ingest.pv.w1.paced_rps", "ingest", "pageview-only paced rate (80% of max), 1 worker", "req/s"),
    _f("ingest.pv.w1.p50_ms_at_80pct", "ingest", "pageview-only p50 at 80% of max, 1 worker", "ms"),
    _f("ingest.pv.w1.p99_ms_at_80pct", "ingest", "pageview-only p99 at 80% of max, 1 worker", "ms", "<=", 20),
    _f("ingest.pv.w1.hits_lost", "ingest", "pageview-only hits lost (accepted - counted), 1 worker", "hits", "==", 0),
    # scale-out (issue 15, bench/scaleout.py): 1, 2, 4 web processes on one Redis and on a 3-node cluster
    *[_f(f"scaleout.floor.p{p}.rps", "scaleout", f"bare ASGI GIF floor, {p} process(es)", "req/s") for p in (1, 2, 4)],
    *[f for mode in ("single", "cluster") for p in (1, 2, 4) for f in (
        _f(f"scaleout.{mode}.p{p}.max_rps", "scaleout", f"ingest max rate, {p} process(es), {mode} Redis", "req/s"),
        _f(f"scaleout.{mode}.p{p}.pct_of_floor", "scaleout", f"ingest / floor, {p} process(es), {mode} Redis", "%"),
        _f(f"scaleout.{mode}.p{p}.redis_ops_per_hit", "scaleout",
           f"Redis commands per hit (ingest.lua's included), {p} process(es), {mode} Redis", "ops"),
        _f(f"scaleout.{mode}.p{p}.hits_per_script_call", "scaleout",
           f"hits per ingest.lua call (batching), {p} process(es), {mode} Redis", "hits", ">=", 2),
        _f(f"scaleout.{mode}.p{p}.script_us_per_hit", "scaleout",
           f"Redis time in ingest.lua per hit, {p} process(es), {mode} Redis", "us"),
        _f(f"scaleout.{mode}.p{p}.hits_lost", "scaleout", f"hits lost, {p} process(es), {mode} Redis", "hits", "==", 0),
    )],
    *[_f(f"scaleout.{mode}.scaling_p{p}_over_p1", "scaleout", f"ingest max rate, {p} processes / 1, {mode} Redis", "x")
      for mode in ("single", "cluster") for p in (2, 4)],
    # a Redis outage under steady pageview traffic (bench/fault.py)
    _f("fault.outage_secs", "fault", "Redis stopped for", "s"),
    _f("fault.hits_sent", "fault", "hits sent across the outage", "hits"),
    _f("fault.hits_accepted", "fault", "hits accepted (204)", "hits"),
    _f("fault.hits_counted", "fault", "pageviews counted after replay", "hits"),
    _f("fault.hits_lost", "fault", "hits lost (accepted - counted, if > 0)", "hits", "==", 0),
    _f("fault.hits_counted_twice", "fault", "hits counted twice (counted - accepted, if > 0)", "hits", "==", 0),
    _f("fault.p99_ms_during_outage", "fault", "ingest p99 during the outage", "ms", "<=", 20),
    _f("fault.replay_secs", "fault", "replay time after Redis is back", "s"),
    _f("fault.replay_hits_per_sec", "fault", "replay rate", "hits/s"),
    # 3 snapshot
    *[_f(f"snapshot.build_ms.v{n}", "snapshot", f"snapshot build, {n:,} visitors", "ms", "<=", 10)
      for n in SNAPSHOT_SIZES],
    _f("snapshot.build_ratio_largest_smallest", "snapshot", "build time, largest / smallest size", "x", "<=", 2),
    _f("snapshot.load_visitors_per_sec", "snapshot", "synthetic load rate (ingest.lua, 5,000/call)", "visitors/s"),
    # 4 expiry
    _f("expiry.us_per_visitor", "expiry", "expiry cost per expired visitor", "us"),
    _f("expiry.expire_10k_ms", "expiry", "visitors_expire of 10,000 visitors", "ms", "<=", 100),
    _f("expiry.tick_10k_ms", "expiry", "tracker tick expiring 10,000 visitors", "ms", "<=", 100),
    _f("expiry.expire_10k_recent_ms", "expiry", "visitors_expire of 10,000 visitors just past the window (visits go on)", "ms"),
    _f("expiry.floor_10k_ms", "expiry", "floor: one Lua call removing 10,000 ids from `:act` and `:vis`", "ms"),
    # 5 memory
    _f("memory.bytes_per_visitor", "memory", "Redis bytes per active visitor at 100,000", "B", "<=", 400),
    _f("memory.bytes_per_visitor_without_hit_log", "memory", "same, without the 30-minute hit log", "B"),
    _f("memory.hit_log_bytes_per_hit", "memory", "30-minute hit log, bytes per logged pageview", "B"),
    _f("memory.floor_records_bytes_per_visitor", "memory", "floor: the visitor records alone (`:vis`)", "B"),
    # 6 API
    _f("api.warm_rps", "api", "/v1/realtime warm (production config)", "req/s"),
    _f("api.warm_p99_ms", "api", "/v1/realtime warm p99", "ms"),
    _f("api.floor_django_rps", "api", "bare Django JsonResponse floor", "req/s"),
    _f("api.floor_asgi_rps", "api", "bare ASGI floor (same bytes)", "req/s"),
    _f("api.pct_of_django_floor", "api", "/v1/realtime / Django floor", "%", ">=", 80),
    _f("api.pct_of_asgi_floor", "api", "/v1/realtime / ASGI floor", "%", ">=", 10),
    _f("api.floor_django_bytes_rps", "api", "bare Django HttpResponse of the bytes (no JSON encoding)", "req/s"),
    _f("api.pct_of_django_bytes_floor", "api", "/v1/realtime / Django bytes floor", "%"),
    _f("api.warm_rps.w1", "api", "/v1/realtime warm, 1 worker", "req/s"),
    _f("api.warm_rps.w2", "api", "/v1/realtime warm, 2 workers", "req/s"),
    _f("api.miss_p50_ms_100k", "api", "cache-miss p50 at 100,000 visitors", "ms"),
    _f("api.miss_p99_ms_100k", "api", "cache-miss p99 at 100,000 visitors", "ms"),
    # 7 freshness
    _f("freshness.api_p50_ms", "freshness", "tick only: hit -> /v1/realtime (no-cache) p50", "ms"),
    _f("freshness.api_p95_ms", "freshness", "tick only: hit -> /v1/realtime (no-cache) p95", "ms", "<=", 1500),
    _f("freshness.ws_p50_ms", "freshness", "tick only: hit -> dashboard WebSocket frame p50", "ms"),
    _f("freshness.ws_p95_ms", "freshness", "tick only: hit -> dashboard WebSocket frame p95", "ms", "<=", 1500),
    _f("freshness.store_p50_ms", "freshness", "tick only: hit -> stored snapshot p50", "ms"),
    _f("freshness.store_p95_ms", "freshness", "tick only: hit -> stored snapshot p95", "ms", "<=", 1500),
    # the same with the watched trackers' fast rebuilds on (the default; issue 16)
    _f("freshness.watched.api_p50_ms", "freshness", "watched: hit -> /v1/realtime (no-cache) p50", "ms"),
    _f("freshness.watched.api_p95_ms", "freshness", "watched: hit -> /v1/realtime (no-cache) p95", "ms", "<=", 300),
    _f("freshness.watched.ws_p50_ms", "freshness", "watched: hit -> dashboard WebSocket frame p50", "ms"),
    _f("freshness.watched.ws_p95_ms", "freshness", "watched: hit -> dashboard WebSocket frame p95", "ms", "<=", 300),
    _f("freshness.watched.store_p50_ms", "freshness", "watched: hit -> stored snapshot p50", "ms"),
    _f("freshness.watched.store_p95_ms", "freshness", "watched: hit -> stored snapshot p95", "ms", "<=", 300),
    # the sharded tick (issue 15): bench/tick.py; targets: a one-second tick
    *[_f(f"tick.empty.w{w}_ms", "tick", f"tick with no live tracker (fan-out floor), {w} worker(s)", "ms")
      for w in (1, 2)],
    *[f for n in (1_000, 10_000) for f in (
        _f(f"tick.t{n}.one_process_ms", "tick",
           f"tick of {n:,} trackers in one process, no Celery (former global lock)", "ms"),
        _f(f"tick.t{n}.w1_ms", "tick", f"tick of {n:,} live trackers, 1 worker", "ms",
           *(("<=", 1000) if n == 1_000 else ())),
        _f(f"tick.t{n}.w2_ms", "tick", f"tick of {n:,} live trackers, 2 workers", "ms",
           *(("<=", 1000) if n == 10_000 else ())),
        _f(f"tick.t{n}.scaling_w2_over_w1", "tick", f"tick of {n:,} trackers, 1 worker / 2 workers", "x"),
    )],
    _f("tick.trackers_per_worker_sec", "tick", "trackers built per second by one worker process (10,000 live)",
       "trackers/s"),
    # 8 fan-out
    _f("fanout.delta_frame_bytes", "fanout", "delta frame, median of the builds", "bytes"),
    _f("fanout.full_frame_bytes", "fanout", "whole snapshot frame (before delta frames)", "bytes"),
    _f("fanout.d1000.clients", "fanout", "1,000 dashboards: WebSockets connected", "clients"),
    _f("fanout.d1000.full_p95_ms", "fanout", "1,000 dashboards, whole frames (before): publication -> receipt p95", "ms"),
    _f("fanout.d1000.full_floor_p95_ms", "fanout", "1,000 dashboards, whole frames: bare WebSocket floor p95", "ms"),
    _f("fanout.d1000.full_bytes_per_sec", "fanout", "1,000 dashboards, whole frames (before): bytes per dashboard per second",
       "B/s"),
    _f("fanout.d1000.received_pct", "fanout", "1,000 dashboards, deltas: frames received", "%", "==", 100),
    _f("fanout.d1000.p50_ms", "fanout", "1,000 dashboards, deltas: publication -> receipt p50", "ms"),
    _f("fanout.d1000.p95_ms", "fanout", "1,000 dashboards, deltas: publication -> receipt p95", "ms", "<=", 500),
    _f("fanout.d1000.floor_p95_ms", "fanout", "1,000 dashboards, deltas: bare WebSocket floor p95", "ms"),
    _f("fanout.d1000.server_cpu_us", "fanout", "1,000 dashboards, deltas: server CPU per frame delivered", "us"),
    _f("fanout.d1000.floor_cpu_us", "fanout", "1,000 dashboards, deltas: bare WebSocket floor CPU per frame delivered", "us"),
    _f("fanout.d1000.bytes_per_sec", "fanout", "1,000 dashboards, deltas: median bytes per dashboard per second", "B/s",
       "<=", 10_000),
    _f("fanout.d5000.clients", "fanout", "5,000 dashboards: WebSockets connected", "clients"),
    _f("fanout.d5000.received_pct", "fanout", "5,000 dashboards, deltas: frames received", "%", "==", 100),
    _f("fanout.d5000.p50_ms", "fanout", "5,000 dashboards, deltas: publication -> receipt p50", "ms"),
    _f("fanout.d5000.p95_ms", "fanout", "5,000 dashboards, deltas: publication -> receipt p95", "ms", "<=", 500),
    _f("fanout.d5000.floor_p95_ms", "fanout", "5,000 dashboards, deltas: bare WebSocket floor p95", "ms"),
    _f("fanout.d5000.server_cpu_us", "fanout", "5,000 dashboards, deltas: server CPU per frame delivered", "us"),
    _f("fanout.d5000.floor_cpu_us", "fanout", "5,000 dashboards, deltas: bare WebSocket floor CPU per frame delivered", "us"),
    _f("fanout.d5000.bytes_per_sec", "fanout", "5,000 dashboards, deltas: median bytes per dashboard per second", "B/s",
       "<=", 10_000),
    # 9 GA-compatible
    _f("ga.p50_ms", "ga", "v3 query, 2 dimensions + filter, 100k visitors, p50", "ms"),
    _f("ga.p95_ms", "ga", "v3 query, 2 dimensions + filter, 100k visitors, p95", "ms", "<=", 250),
    _f("ga.regex_p95_ms", "ga", "v3 regex filters on RE2, pathological patterns included, 100k visitors, worst p95", "ms", "<=", 250),
    _f("ga.live_counter_p95_ms", "ga", "v3 single dimension from the live counters, p95", "ms", "<=", 20),
    _f("ga.pageviews_by_page_p95_ms", "ga", "v3 rt:pageviews by rt:pagePath over 100k logged hits, p95", "ms", "<=", 250),
    _f("ga.pageviews_by_browser_p95_ms", "ga", "v3 rt:pageviews by rt:browser over 100k logged hits (log and records), p95", "ms", "<=", 250),
    # 10 snippet
    _f("snippet.source_bytes", "snippet", "nm.js as shipped", "B"),
    _f("snippet.minified_gzip_bytes", "snippet", "nm.js minified + gzip -9", "B", "<=", 1500),
    _f("snippet.served_gzip_bytes", "snippet", "/nm.js body as served gzipped", "B"),
    # history (issue 14): bench/history.py
    _f("history.rollup_1k_ms", "history", "history rollup of 1,000 live trackers, wall", "ms"),
    _f("history.rollup_1k_cpu_ms", "history", "history rollup of 1,000 live trackers, worker CPU", "ms", "<", 5000),
    _f("history.rollup_20k_pages_ms", "history", "history rollup of one tracker with 20,000 pages today", "ms"),
    _f("history.recap_p95_cold_ms", "history", "/v1/recap last90, 20,000 pages a day, p95 uncached", "ms", "<", 200),
    _f("history.recap_p95_cached_ms", "history", "/v1/recap last90, p95 microcached", "ms"),
    _f("history.rows_per_tracker_day", "history", "database rows per tracker-day, 20,000 pages a day", "rows"),
    # socket upkeep (issue 16, item 4): bench/upkeep.py; "before" is the 30 s re-check, "after" the safety net
    _f("upkeep.queries_per_check", "upkeep", "DB queries of one socket's access re-check (mix)", "queries"),
    _f("upkeep.before_per_socket_min", "upkeep", "access re-check queries per socket per minute, every 30 s", "q/min"),
    _f("upkeep.after_per_socket_min", "upkeep", "same, the safety net only (a change costs 3 per socket it concerns)", "q/min"),
    _f("upkeep.before_per_sec", "upkeep", "access re-check queries at 5,000 sockets, every 30 s", "q/s"),
    _f("upkeep.after_per_sec", "upkeep", "same, the safety net only", "q/s"),
    _f("upkeep.after_pct_of_before", "upkeep", "upkeep queries, after / before", "%", "<=", 10),
    # enrichment micro-bench (bench/bench_enrich.py, its own figures; no targets)
    *[_f(f"enrich.{name}.{kind}_us", "enrich", f"{name}, {kind} cache", "us/call")
      for name in ("parse_user_agent", "locate", "classify_source") for kind in ("cold", "warm")],
    # enrichment accuracy on public labelled corpora (bench/bench_enrich_accuracy.py; issue 17's targets)
    _f("enrich.accuracy.device_pct", "enrich", "device class right, Matomo fixtures", "%", ">=", 95),
    _f("enrich.accuracy.tablet_pct", "enrich", "tablets classed tablet", "%", ">=", 90),
    _f("enrich.accuracy.desktop_pct", "enrich", "desktops, TVs, consoles classed desktop", "%"),
    _f("enrich.accuracy.mobile_pct", "enrich", "phones classed mobile", "%"),
    _f("enrich.accuracy.bot_recall_pct", "enrich", "bots caught, Matomo bots.yml", "%", ">=", 90),
    _f("enrich.accuracy.site_monitor_pct", "enrich", "site monitors caught", "%", ">=", 85),
    _f("enrich.accuracy.browser_fp_pct", "enrich", "real browsers flagged as bots", "%", "<=", 0.1),
    _f("enrich.accuracy.cua_bot_recall_pct", "enrich", "bots caught, crawler-user-agents", "%", ">=", 90),
    _f("enrich.accuracy.cua_monitoring_pct", "enrich", "monitors caught, crawler-user-agents", "%", ">=", 85),
    _f("enrich.accuracy.search_hosts_pct", "enrich", "search-engine hosts recognised, Matomo's list", "%", ">=", 95),
    _f("enrich.accuracy.social_hosts_pct", "enrich", "social-network hosts recognised, Matomo's list", "%", ">=", 90),
    _f("enrich.accuracy.ai_hosts_pct", "enrich", "AI-assistant hosts recognised, Matomo's list", "%"),
    _f("enrich.accuracy.ga4_search_hosts_pct", "enrich", "search hosts, GA4's categories (not shipped)", "%"),
    _f("enrich.accuracy.ga4_social_hosts_pct", "enrich", "social hosts, GA4's categories (not shipped)", "%"),
    _f("enrich.accuracy.ua_cold_us", "enrich", "parse_user_agent cold, over the fixture corpus", "us/UA"),
    _f("enrich.accuracy.ua_cold_list_warm_us", "enrich",
       "parse_user_agent cold, device list's sets warm (second pass)", "us/UA"),
    _f("enrich.accuracy.bot_list_cold_us", "enrich", "bot-list check alone, over the fixture corpus", "us/UA"),
]
FIGURE_KEYS = [f.key for f in FIGURES]
# The item numbers (ingest is items 1 and 2), shown in the table's first column.
ITEM_NUMBERS = {"ingest": "1-2", "snapshot": "3", "expiry": "4", "memory": "5", "api": "6", "freshness": "7",
                "fanout": "8", "ga": "9", "snippet": "10", "enrich": "-", "fault": "-",
                "history": "H", "upkeep": "U", "scaleout": "S", "tick": "S"}
