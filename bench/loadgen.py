"""The load generator: `wrk` with a Lua script when it is installed (C, one thread, far
cheaper per request than any Python client on a 2-core box), else a Python asyncio
keep-alive client run in its own process. Both replay a request list (see bench/traffic.py),
closed-loop at the maximum rate or paced to a target rate, and report requests/s, errors and
latency percentiles in milliseconds.

Paced runs schedule requests per load thread and never burst to catch up: latency is
service time (no coordinated-omission correction), and the achieved rate is reported."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.traffic import Request, read_spec, write_spec

WRK_SCRIPT = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } nm_timespec;
int clock_gettime(int clk, nm_timespec *tp);
]]
local ts = ffi.new("nm_timespec")
local function now()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local reqs, n, i, interval, next_at = {}, 0, 0, 0, 0

function init(args)
  local path, nthreads, rate = args[1], tonumber(args[2]), tonumber(args[3])
  for line in io.lines(path) do
    local method, target, hdrs, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    for h in string.gmatch(hdrs, "[^\30]+") do
      local k, v = h:match("^(.-): (.*)$")
      headers[k] = v
    end
    if body == "" then body = nil end
    reqs[#reqs + 1] = wrk.format(method, target, headers, body)
  end
  n = #reqs
  i = ((tid or 0) * math.floor(n / nthreads)) % n
  if rate > 0 then interval = nthreads / rate end
end

function request()
  i = i + 1
  if i > n then i = 1 end
  return reqs[i]
end

if tonumber(os.getenv("NMBENCH_PACED") or "0") == 1 then
  function delay()
    local t = now()
    if next_at < t - 0.005 then next_at = t end
    next_at = next_at + interval
    local d = (next_at - t) * 1000
    if d < 0 then return 0 end
    return d
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'NMBENCH {"requests":%d,"duration_us":%d,"errors":%d,"errors_status":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0), latency.max, latency.mean))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    rps: float
    errors: int  # socket errors and timeouts
    non_2xx: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    tool: str

    def as_dict(self) -> dict:
        return asdict(self)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def ensure_wrk(install: bool) -> str | None:
    """wrk if installed; with `install`, try Debian's package once (as root, non-interactive)."""
    found = wrk_path()
    if found or not install:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for argv in (["apt-get", "install", "-y", "-qq", "wrk"], ["apt-get", "update", "-qq"],
                     ["apt-get", "install", "-y", "-qq", "wrk"]):
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240,
                           check=False)
            if wrk_path():
                break
    return wrk_path()


class LoadGenerator:
    def __init__(self, spec_dir: Path, tool: str = "auto"):
        self.spec_dir = spec_dir
        self.tool = "wrk" if tool == "auto" and wrk_path() else ("python" if tool == "auto" else tool)
        self._specs: dict[int, Path] = {}

    def _spec(self, requests: list[Request]) -> Path:
        path = self._specs.get(id(requests))
        if path is None:
            path = self.spec_dir / f"requests-{len(self._specs)}.tsv"
            write_spec(requests, path)
            self._specs[id(requests)] = path
        return path

    def run(self, port: int, requests: list[Request], *, seconds: float, connections: int = 32, threads: int = 1,
            rate: float = 0.0) -> LoadResult:
        spec = self._spec(requests)
        if self.tool == "wrk":
            return _run_wrk(port, spec, seconds, connections, threads, rate)
        return _run_python(port, spec, seconds, connections, rate)


def _run_wrk(port: int, spec: Path, seconds: float, connections: int, threads: int, rate: float) -> LoadResult:
    script = spec.with_name("nmbench.lua")
    if not script.exists():
        script.write_text(WRK_SCRIPT)
    connections = max(connections, threads)
    argv = [wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s",
            "-s", str(script), f"http://127.0.0.1:{port}", "--", str(spec), str(threads), str(rate)]
    env = dict(os.environ, NMBENCH_PACED="1" if rate > 0 else "0")
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, env=env)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("NMBENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout[-2000:]} {out.stderr[-2000:]}")
    raw = json.loads(line[len("NMBENCH "):])
    secs = raw["duration_us"] / 1e6
    return LoadResult(raw["requests"], secs, raw["requests"] / secs, raw["errors"], raw["errors_status"],
                      raw["p50_us"] / 1000, raw["p90_us"] / 1000, raw["p99_us"] / 1000, raw["max_us"] / 1000, "wrk")


def _run_python(port: int, spec: Path, seconds: float, connections: int, rate: float) -> LoadResult:
    argv = [sys.executable, "-m", "bench.loadgen", "--port", str(port), "--spec", str(spec), "--seconds", str(seconds),
            "--connections", str(connections), "--rate", str(rate)]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60,
                         cwd=Path(__file__).resolve().parent.parent)
    if out.returncode != 0:
        raise RuntimeError(f"python load generator failed: {out.stderr[-2000:]}")
    return LoadResult(**json.loads(out.stdout.strip().splitlines()[-1]))


# --- the Python fallback (runs in its own process) --------------------------------------------


def _raw(r: Request, port: int) -> bytes:
    body = r.body.encode()
    lines = [f"{r.method} {r.path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k}: {v}" for k, v in r.headers]
    if body or r.method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, int(round(pct / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


async def _python_load(port: int, raws: list[bytes], seconds: float, connections: int, rate: float) -> LoadResult:
    latencies: list[float] = []
    counts = {"errors": 0, "non_2xx": 0}
    n = len(raws)
    state = {"i": 0, "next_at": 0.0}
    interval = 1.0 / rate if rate > 0 else 0.0
    start = time.perf_counter()
    stop_at = start + seconds

    async def pace() -> None:
        if not interval:
            return
        t = time.perf_counter()
        if state["next_at"] < t - 0.005:
            state["next_at"] = t
        state["next_at"] += interval
        if state["next_at"] > t:
            await asyncio.sleep(state["next_at"] - t)

    async def worker() -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            counts["errors"] += 1
            return
        try:
            while True:
                await pace()
                if time.perf_counter() >= stop_at:
                    return
                raw = raws[state["i"]]  # the list in order, as wrk replays it
                state["i"] = (state["i"] + 1) % n
                t0 = time.perf_counter()
                writer.write(raw)
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                latencies.append(time.perf_counter() - t0)
                if not head.startswith(b"HTTP/1.1 2"):
                    counts["non_2xx"] += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            counts["errors"] += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    ms = [x * 1000 for x in latencies]
    return LoadResult(len(ms), elapsed, len(ms) / elapsed, counts["errors"], counts["non_2xx"], _percentile(ms, 50),
                      _percentile(ms, 90), _percentile(ms, 99), ms[-1] if ms else 0.0, "python")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=float, default=0.0)
    args = parser.parse_args()
    raws = [_raw(r, args.port) for r in read_spec(args.spec)]
    coro = _python_load(args.port, raws, args.seconds, args.connections, args.rate)
    try:
        import uvloop

        result = uvloop.run(coro)
    except ImportError:
        result = asyncio.run(coro)
    print(json.dumps(result.as_dict()))


if __name__ == "__main__":
    main()
