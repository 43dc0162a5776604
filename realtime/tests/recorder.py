"""The snippet tests' stand-in for a customer's site and for NowMetrix's collector."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recorder(ThreadingHTTPServer):
    """A local HTTP server (on a free port) that records every request its handler receives."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        super().__init__(("127.0.0.1", 0), handler)
        self.requests: list[dict] = []
        self.changed = threading.Condition()
        self.nowmetrix_origin = ""  # where the pages load nm.js from

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, method: str, path: str, headers, body: bytes) -> None:
        with self.changed:
            self.requests.append({"method": method, "path": path, "headers": headers, "body": body})
            self.changed.notify_all()

    def hits(self) -> list[dict]:
        with self.changed:
            return [json.loads(r["body"]) for r in self.requests if r["path"] == "/collect"]

    def collect_requests(self, tracker_id: str) -> list[dict]:
        """The raw POSTs to /collect (with headers) of one tracker."""
        with self.changed:
            posts = [r for r in self.requests if r["path"] == "/collect"]
            return [r for r in posts if json.loads(r["body"]).get("s") == tracker_id]

    def wait_for_hits(self, predicate, count: int = 1, timeout: float = 5.0) -> list[dict]:
        """Block until `count` recorded hits match `predicate`; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [h for h in self.hits() if predicate(h)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} matching hits, have: {self.hits()}")
                self.changed.wait(remaining)
