"""Item 10: the snippet's weight. `realtime/ingest/snippet/nm.js` minified and gzipped at
level 9 (what a CDN or the server's gzip would send), and what `/nm.js` actually serves
gzipped (the server gzips the file as shipped).

Minifier: `terser` when it is on PATH; else the conservative minifier below, which only drops
comments and whitespace that separate nothing (it never renames), checked with `node --check`
when Node is installed. The figure says which one was used."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.appstack import http_get
from bench.report import SectionResult
from realtime.ingest.asgi import SNIPPET_PATH

_PUNCT = set("{}()[];,:?=+-*/%<>!&|^~.")
_REGEX_BEFORE = set("(,=:[!&|?{};")


def minify(source: str) -> str:
    """Drop comments and needless whitespace; strings, template and regex literals untouched."""
    out: list[str] = []
    i, n = 0, len(source)
    pending_space = False

    def last() -> str:
        return out[-1][-1] if out else ""

    while i < n:
        c = source[i]
        if c in "'\"`":
            j = i + 1
            while j < n and source[j] != c:
                j += 2 if source[j] == "\\" else 1
            token, i = source[i:j + 1], j + 1
        elif source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
            pending_space = True
            continue
        elif source.startswith("/*", i):
            i = source.index("*/", i) + 2
            pending_space = True
            continue
        elif c == "/" and (last() in _REGEX_BEFORE or not out):
            j = i + 1
            while j < n and source[j] != "/":
                j += 2 if source[j] == "\\" else 1
            j += 1
            while j < n and source[j].isalpha():
                j += 1
            token, i = source[i:j], j
        elif c.isspace():
            pending_space = True
            i += 1
            continue
        else:
            token, i = c, i + 1
        if pending_space and out and not (last() in _PUNCT or token[0] in _PUNCT):
            out.append(" ")
        elif pending_space and out and last() in "+-" and token[0] in "+-":
            out.append(" ")  # `a + +b` must not become `a++b`
        pending_space = False
        out.append(token)
    return "".join(out)


def _terser(path: Path) -> str | None:
    binary = shutil.which("terser")
    if binary is None:
        return None
    done = subprocess.run([binary, str(path), "--compress", "--mangle"], capture_output=True, text=True, timeout=60)
    return done.stdout if done.returncode == 0 else None


def _node_accepts(code: str) -> bool | None:
    node = shutil.which("node")
    if node is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as f:
        f.write(code)
    try:
        return subprocess.run([node, "--check", f.name], capture_output=True, timeout=30).returncode == 0
    finally:
        Path(f.name).unlink()


def run(ctx) -> SectionResult:
    res = SectionResult("snippet")
    source = SNIPPET_PATH.read_text()
    minified = _terser(SNIPPET_PATH)
    tool = "terser"
    if minified is None:
        minified, tool = minify(source), "bench.snippet.minify (comments and whitespace only, no renaming)"
    valid = _node_accepts(minified)
    if valid is False:
        res.notes.append("the minified snippet does not parse: figure shown for the unminified file")
        minified, tool = source, "none"
    res.add("snippet.source_bytes", len(source.encode()))
    res.add("snippet.minified_gzip_bytes", len(gzip.compress(minified.encode(), 9, mtime=0)))
    res.details = {"minifier": tool, "minified_bytes": len(minified.encode()), "node_check": valid,
                   "source_gzip_bytes": len(gzip.compress(source.encode(), 9, mtime=0))}
    server = ctx.env.uvicorn("nowmetrix.asgi:application", workers=1, name="snippet")
    try:
        status, headers, body = http_get(server.port, "/nm.js", {"Accept-Encoding": "gzip"})
        if status == 200 and headers.get("content-encoding") == "gzip":
            res.add("snippet.served_gzip_bytes", len(body))
        else:
            res.skip("snippet.served_gzip_bytes", f"/nm.js answered {status} without gzip")
    finally:
        ctx.env.stop(server)
    return res
