"""`python -m bench.run [--quick] [--only SECTION ...]`: start the real stack with production
settings against a real Redis, drive it, print the table and write the results.

Full run (`make bench`): at least 3 runs of every figure, under 15 minutes on 2 cores; the
table also goes into bench/README.md. Quick run (`make bench-quick`, CI's smoke test of the
harness): one short run each at smaller sizes, under a minute; it writes
bench/results-quick.json and leaves the README alone."""

from __future__ import annotations

import argparse
import importlib
import os
import re
import resource
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from bench import report
from bench.figures import FIGURE_KEYS
from bench.env import BenchEnv

README = Path(__file__).with_name("README.md")
TABLE_START, TABLE_END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"
# In order; each is a module of this package with `run(ctx) -> SectionResult`, except the two
# micro-benches owned by other modules (`ga_section`, `enrich_section`).
SECTIONS = ["snippet", "ingest", "scaleout", "fault", "snapshot", "expiry", "memory", "api", "fanout", "freshness",
            "tick", "ga",
            "enrich", "history", "upkeep"]


@dataclass
class Context:
    env: BenchEnv
    quick: bool
    runs: int
    loadgen: object
    cores: int = field(default_factory=lambda: os.cpu_count() or 1)
    api_tracker: tuple | None = None
    _stack: object = None
    _scratch_trackers: set[str] = field(default_factory=set)

    def app_stack(self):
        if self._stack is None:
            from bench.appstack import AppStack

            self._stack = AppStack.create()
        return self._stack

    def remember_tracker(self, site: str) -> None:
        self._scratch_trackers.add(site)

    def quiet_other_trackers(self, keep: set[str]) -> None:
        """Take every other bench tracker out of the tick's live set, so a Celery tick works on
        the measured tracker only (and never expires a million visitors in the middle of it)."""
        from django.conf import settings

        from realtime import keys, live_state

        conn = live_state.client()
        for shard in range(settings.NOWMETRIX_TICK_SHARDS):
            others = [site for site in conn.zrange(keys.live_trackers(shard), 0, -1) if site not in keep]
            if others:
                conn.zrem(keys.live_trackers(shard), *others)


def _drop_tracker_keys(sites: set[str]) -> None:
    """Free what the sections loaded (a million visitors is most of a gigabyte) before the next."""
    from realtime import keys, live_state

    conn = live_state.client()
    for site in sites:
        batch = list(conn.scan_iter(match=f"{keys.tracker_base(site)}:*", count=5000))
        for i in range(0, len(batch), 1000):
            conn.delete(*batch[i:i + 1000])
        conn.zrem(keys.live_trackers(keys.tick_shard(site)), site)


def ga_section(ctx: Context) -> report.SectionResult:
    """Item 9, measured by bench/bench_ga.py (`run(quick: bool) -> dict`), once per run."""
    res = report.SectionResult("ga")
    try:
        bench_ga = importlib.import_module("bench.bench_ga")
    except ModuleNotFoundError as exc:
        if exc.name != "bench.bench_ga":
            raise
        res.skip("ga", "bench/bench_ga.py is not available")
        return res
    res.details = {"runs": []}
    for _ in range(ctx.runs):
        out = bench_ga.run(ctx.quick)
        res.details["runs"].append(out)
        for pct in ("p50", "p95"):
            value = _find_number(out, pct)
            if value is None:
                res.skip(f"ga.{pct}_ms", f"bench_ga.run() returned no {pct}")
            else:
                res.add(f"ga.{pct}_ms", value)
        res.add("ga.regex_p95_ms", out.get("regex_worst_p95_ms"))
        res.add("ga.live_counter_p95_ms", out.get("single_dimension_live_counter", {}).get("p95_ms"))
        for case in ("pageviews_by_page", "pageviews_by_browser"):
            res.add(f"ga.{case}_p95_ms", out.get("hit_log_cold", {}).get(case, {}).get("p95_ms"))
    return res


def _find_number(data, pct: str) -> float | None:
    """The first number under a key starting with the percentile (`p95_ms`), depth first in
    the order bench_ga lists its cases (its first case is the query of item 9)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and key.lower().startswith(pct) and isinstance(value, (int, float)):
                return float(value)
        for value in data.values():
            found = _find_number(value, pct)
            if found is not None:
                return found
    return None


_ENRICH_LINE = re.compile(r"^(\w+)\s+cold\s+([\d.]+) us/call\s+warm\s+([\d.]+) us/call")


def enrich_section(ctx: Context) -> report.SectionResult:
    """The enrichment micro-bench (bench/bench_enrich.py, a script that prints), once per run."""
    res = report.SectionResult("enrich")
    script = Path(__file__).with_name("bench_enrich.py")
    if not script.exists():
        res.skip("enrich", "bench/bench_enrich.py is not available")
        return res
    res.details = {"output": []}
    for _ in range(ctx.runs):
        out = subprocess.run([sys.executable, str(script), "1000" if ctx.quick else "5000"], capture_output=True,
                             text=True, timeout=300, cwd=script.parent.parent)
        if out.returncode != 0:
            raise RuntimeError(f"bench_enrich.py failed: {out.stderr[-500:]}")
        res.details["output"].append(out.stdout)
        for line in out.stdout.splitlines():
            match = _ENRICH_LINE.match(line.strip())
            if match and f"enrich.{match[1]}.cold_us" in FIGURE_KEYS:
                res.add(f"enrich.{match[1]}.cold_us", float(match[2]))
                res.add(f"enrich.{match[1]}.warm_us", float(match[3]))
    _enrich_accuracy(res, ctx.quick, script.parent.parent)
    return res


def _enrich_accuracy(res: report.SectionResult, quick: bool, root: Path) -> None:
    """Accuracy on labelled corpora (bench/bench_enrich_accuracy.py), once: the figures are counts."""
    args = [sys.executable, str(root / "bench" / "bench_enrich_accuracy.py")] + (["--quick"] if quick else [])
    out = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=root)
    if out.returncode != 0:
        raise RuntimeError(f"bench_enrich_accuracy.py failed: {out.stderr[-500:]}")
    res.details["accuracy"] = out.stdout
    print(out.stdout, file=sys.stderr)
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "figure" and parts[1] in FIGURE_KEYS:
            res.add(parts[1], float(parts[2]))


def run_section(name: str, ctx: Context) -> report.SectionResult:
    t0 = time.monotonic()
    try:
        if name == "ga":
            res = ga_section(ctx)
        elif name == "enrich":
            res = enrich_section(ctx)
        else:
            res = importlib.import_module(f"bench.{name}").run(ctx)
    # A harness reports a broken section and goes on measuring the others: one failure must not
    # cost the whole run (the error is in the table and the JSON).
    except Exception as exc:  # noqa: BLE001
        res = report.SectionResult(name, error=f"{type(exc).__name__}: {exc}".splitlines()[0][:300])
        res.details = {"traceback": traceback.format_exc()[-4000:]}
        print(f"[bench] section {name} failed:\n{traceback.format_exc()}", file=sys.stderr)
    res.seconds = time.monotonic() - t0
    if ctx._scratch_trackers:
        _drop_tracker_keys(ctx._scratch_trackers)
        ctx._scratch_trackers.clear()
    print(f"[bench] {name}: {res.seconds:.1f} s{' (' + res.error + ')' if res.error else ''}", file=sys.stderr)
    return res


def _redis_version() -> str:
    from realtime import live_state

    return str(live_state.client().info("server").get("redis_version", ""))


def _wrk_version(tool: str) -> str:
    if tool != "wrk":
        return ""
    from bench.loadgen import wrk_path

    out = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else ""


def _patient_redis_clients() -> None:
    """This process's live-state clients with a 60 s read timeout instead of 2 s: one call
    loads 5,000 visitors, which can take longer than 2 s on a busy machine at a million
    visitors. The servers the bench starts keep the production clients."""
    from django.conf import settings

    from realtime import live_state

    settings.REDIS_URL = os.environ["REDIS_URL"]
    settings.NOWMETRIX_REDIS_TIMEOUT_SECS = 60
    live_state.client.cache_clear()
    live_state.raw_client.cache_clear()


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by the servers we start


def update_readme(table: str, header: str) -> None:
    text = README.read_text() if README.exists() else ""
    if TABLE_START not in text:
        return
    before, rest = text.split(TABLE_START, 1)
    after = rest.split(TABLE_END, 1)[1] if TABLE_END in rest else ""
    README.write_text(f"{before}{TABLE_START}\n{header}\n\n{table}\n{TABLE_END}{after}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short run each, smaller sizes (CI)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, metavar="SECTION",
                        help=f"run only these sections: {', '.join(SECTIONS)}")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3, quick 1)")
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (auto: wrk when installed, else the Python client)")
    parser.add_argument("--redis-url", default=None,
                        help="use this Redis (with a private key prefix) instead of a private redis-server")
    parser.add_argument("--output", type=Path, default=None, help="where to write the JSON results")
    args = parser.parse_args(argv)

    started = time.time()
    _raise_fd_limit()
    env = BenchEnv(quick=args.quick)
    env.start_redis(args.redis_url)
    env.apply_to_this_process()
    import django

    django.setup()
    _patient_redis_clients()
    load_before = os.getloadavg()

    from bench.loadgen import LoadGenerator, ensure_wrk

    if args.loadgen != "python":
        # The full run installs wrk from Debian's packages when it can; the quick run (CI) does
        # not spend its minute on apt and falls back to the Python client.
        ensure_wrk(install=not args.quick)
    loadgen = LoadGenerator(env.tmp, args.loadgen)
    runs = args.runs or (1 if args.quick else 3)
    ctx = Context(env=env, quick=args.quick, runs=runs, loadgen=loadgen)
    sections = [s for s in SECTIONS if not args.only or s in args.only]
    results: list[report.SectionResult] = []
    try:
        for name in sections:
            results.append(run_section(name, ctx))
        env_info = report.machine(redis_version=_redis_version(), wrk_version=_wrk_version(loadgen.tool))
        env_info["machine"]["loadavg_before"] = [round(x, 2) for x in load_before]
        env_info["machine"]["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        env.close()
        env.delete_keys()
        env.remove_tmp()
    config = {"runs_per_figure": runs, "sections": sections, "load_generator": loadgen.tool,
              "private_redis": env.private_redis, "redis_key_prefix": env.prefix,
              "server": "uvicorn --loop uvloop --http httptools --no-access-log --lifespan on",
              "settings": "DJANGO_DEBUG=0, DJANGO_SECRET_KEY set, NOWMETRIX_* defaults "
                          "(rate limit raised for the API load only)"}
    doc = report.document(results, quick=args.quick, started=started, config=config, env_info=env_info)
    output = args.output or (report.RESULTS_PATH if not args.quick else report.RESULTS_PATH.with_name(
        "results-quick.json"))
    report.write_json(doc, output)
    table, header = report.table(doc), report.header(doc)
    print(header)
    print()
    print(table)
    print(f"\n[bench] results written to {output}", file=sys.stderr)
    if not args.quick and not args.only and output == report.RESULTS_PATH:
        update_readme(table, header)
    failed = [r.name for r in results if r.error]
    return 1 if failed and args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
