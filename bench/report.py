"""The bench's two outputs of the figures of `bench/figures.py`: a table on stdout (and in
bench/README.md) and `bench/results.json`.

A figure is always present in the JSON, measured or not: `available` is false with a
`reason` when its section could not run (the feature is not there yet, a quick run skips a
size). Each measured figure keeps its per-run values and their min/median/max."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bench.figures import FIGURE_KEYS, FIGURES, ITEM_NUMBERS

SCHEMA_VERSION = 1
RESULTS_PATH = Path(__file__).with_name("results.json")


@dataclass
class SectionResult:
    """What one section measured: per-run values by figure key, plus free-form details."""

    name: str
    runs: dict[str, list[float]] = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # figure key -> reason
    error: str = ""
    seconds: float = 0.0

    def add(self, key: str, value: float | None) -> None:
        if key not in FIGURE_KEYS:
            raise KeyError(f"{key} is not a stable figure key (add it to bench.figures.FIGURES)")
        if value is not None:
            self.runs.setdefault(key, []).append(float(value))

    def skip(self, key_prefix: str, reason: str) -> None:
        for key in FIGURE_KEYS:
            if key == key_prefix or key.startswith(key_prefix + "."):
                self.unavailable.setdefault(key, reason)


def summarize(values: list[float]) -> dict:
    return {"runs": values, "n": len(values), "min": min(values), "median": statistics.median(values),
            "max": max(values)}


def figures_json(results: list[SectionResult]) -> dict:
    by_key: dict[str, dict] = {}
    runs: dict[str, list[float]] = {}
    reasons: dict[str, str] = {}
    for result in results:
        runs.update(result.runs)
        reasons.update(result.unavailable)
        if result.error:
            for f in FIGURES:
                if f.section == result.name and f.key not in result.runs:
                    reasons.setdefault(f.key, f"section failed: {result.error}")
    for f in FIGURES:
        entry = {"section": f.section, "label": f.label, "unit": f.unit, "target": f.target or None}
        values = runs.get(f.key)
        if values:
            entry.update(available=True, **summarize(values))
            entry["met"] = f.met(entry["median"])
        else:
            entry.update(available=False, reason=reasons.get(f.key, "not measured"), runs=[], n=0, min=None,
                         median=None, max=None, met=None)
        by_key[f.key] = entry
    return by_key


# --- the machine --------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _git_changes() -> list[str]:
    """Files changed but not committed outside bench/ (others' work in a shared tree): the
    commit alone does not say what was measured then."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                             text=True, timeout=5, cwd=Path(__file__).resolve().parent.parent).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line[3:] for line in out.splitlines() if line[3:] and not line[3:].startswith("bench/")]


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                              cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


PACKAGES = ["Django", "djangorestframework", "uvicorn", "uvloop", "httptools", "redis", "hiredis", "celery",
            "channels", "channels-redis", "websockets", "ua-parser", "ua-parser-rs", "maxminddb"]


def machine(redis_version: str = "", wrk_version: str = "") -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "machine": {
            "cpu_model": _cpu_model(),
            "cores": os.cpu_count(),
            "memory_bytes": _memory_bytes(),
            "os": platform.platform(),
        },
        "versions": {
            "python": sys.version.split()[0],
            "redis_server": redis_version,
            "wrk": wrk_version,
            "git_commit": _git_commit(),
            "uncommitted_changes": _git_changes(),
            "packages": versions,
        },
    }


def document(results: list[SectionResult], *, quick: bool, started: float, config: dict, env_info: dict) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "quick": quick,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_secs": round(time.time() - started, 1),
        **env_info,
        "config": config,
        "figures": figures_json(results),
        "sections": {r.name: {"seconds": round(r.seconds, 1), "error": r.error or None, "notes": r.notes,
                              "details": r.details} for r in results},
    }


def write_json(doc: dict, path: Path = RESULTS_PATH) -> None:
    path.write_text(json.dumps(doc, indent=2, sort_keys=False, default=str) + "\n")


# --- the table ----------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit in ("req/s", "B", "hits", "clients", "visitors/s"):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(doc: dict) -> str:
    """A Markdown table: one row per figure, median (min-max) over the runs, target, status."""
    rows = ["| # | figure | median | min - max | runs | target | status |", "|---|---|---:|---:|---:|---|---|"]
    for key, f in doc["figures"].items():
        unit = f["unit"]
        if f["available"]:
            spread = f"{_fmt(f['min'], unit)} - {_fmt(f['max'], unit)}" if f["n"] > 1 else ""
            status = {True: "met", False: "**MISSED**", None: ""}[f["met"]]
            median = f"{_fmt(f['median'], unit)} {unit}"
        else:
            reason = f["reason"] if len(f["reason"]) <= 90 else f["reason"][:87] + "..."
            spread, median, status = "", "n/a", f"not available: {reason}"
        rows.append(f"| {ITEM_NUMBERS.get(f['section'], '')} | {f['label']} (`{key}`) | {median} | {spread} | {f['n']} | "
                    f"{f['target'] or ''} | {status} |")
    return "\n".join(rows)


def header(doc: dict) -> str:
    m, v = doc["machine"], doc["versions"]
    mem = f"{m['memory_bytes'] / 2**30:.0f} GiB" if m.get("memory_bytes") else "?"
    mode = "quick (1 short run each, smaller sizes)" if doc["quick"] else "full"
    load = m.get("loadavg_before")
    busy = ""
    if load and m.get("cores") and load[0] > 0.5 * m["cores"]:
        busy = (f" The machine was busy before the run (load average {load[0]:.1f} on {m['cores']} cores): "
                "other processes shared the cores, and rates are lower and latencies higher than on a quiet machine.")
    return (f"NowMetrix bench, {mode}, {doc['started_at']}, {doc['duration_secs']:.0f} s. "
            f"{m['cpu_model']}, {m['cores']} cores, {mem}; Python {v['python']}, Redis {v['redis_server']}, "
            f"Django {v['packages'].get('Django')}, uvicorn {v['packages'].get('uvicorn')}, "
            f"load generator {doc['config'].get('load_generator')}; commit {v['git_commit']}"
            f"{' plus uncommitted changes to ' + ', '.join(v['uncommitted_changes']) if v.get('uncommitted_changes') else ''}"
            f".{busy}")
