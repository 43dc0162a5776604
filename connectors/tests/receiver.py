"""A local stand-in for the four services a connector posts to, on 127.0.0.1.

It implements the documented request of each API, checks it (the webhook's signature, the
Telegram token in the path, the Bluesky session's bearer token) and records what it got:
method, path, headers, body, and the outcome of its checks. Tests can script failures.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WEBHOOK_SECRET = "whsec-0123456789abcdef"
SLACK_PATH = "/services/T000/B000/XXXXXXXXXXXXXXXX"
TELEGRAM_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
TELEGRAM_CHAT = "-1001234567890"
BLUESKY_HANDLE = "newsroom.bsky.social"
BLUESKY_APP_PASSWORD = "abcd-efgh-ijkl-mnop"
BLUESKY_DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
BLUESKY_JWT = "eyJ0eXAiOiJhdCtqd3QifQ.local.session"


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict] = []
        self.arrivals: list[str] = []  # paths, recorded on arrival (before any scripted delay)
        self.scripted: list[tuple[int, float]] = []  # (status, delay) for the next requests
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def script(self, *statuses: int, delay: float = 0.0) -> None:
        """Answer the next requests with these statuses (0: answer normally), after `delay` s."""
        with self.lock:
            self.scripted.extend((s, delay) for s in statuses)

    def next_script(self) -> tuple[int, float]:
        with self.lock:
            return self.scripted.pop(0) if self.scripted else (0, 0.0)

    def record(self, entry: dict) -> None:
        with self.lock:
            self.requests.append(entry)

    def got(self, path_part: str = "") -> list[dict]:
        with self.lock:
            return [r for r in self.requests if path_part in r["path"]]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def _signature_ok(headers, body: bytes) -> bool:
    timestamp = headers.get("X-NowMetrix-Timestamp", "")
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-NowMetrix-Signature", ""))


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, body: dict | str) -> None:
        raw = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if isinstance(body, dict) else "text/plain")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        entry = {"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body, "checks": {}}
        try:
            entry["json"] = json.loads(body)
        except ValueError:
            entry["json"] = None
        with self.server.lock:
            self.server.arrivals.append(self.path)
        status, delay = self.server.next_script()
        if delay:
            time.sleep(delay)
        status, answer = (status, {"error": "scripted"}) if status else self._route(entry)
        self.server.record(entry)
        try:
            self._answer(status, answer)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout, a killed worker): what the test is about

    def _route(self, entry: dict) -> tuple[int, dict | str]:
        path, data, checks = entry["path"], entry["json"] or {}, entry["checks"]
        if path == "/hook":
            checks["signature"] = _signature_ok(self.headers, entry["body"])
            return (200, {"received": True}) if checks["signature"] else (401, {"error": "bad signature"})
        if path == SLACK_PATH:
            checks["payload"] = isinstance(data.get("text"), str) and isinstance(data.get("blocks"), list)
            return (200, "ok") if checks["payload"] else (400, "invalid_payload")
        if path.startswith("/bot") and path.endswith("/sendMessage"):
            checks["token"] = path == f"/bot{TELEGRAM_TOKEN}/sendMessage"
            if not checks["token"]:
                return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            checks["payload"] = data.get("chat_id") == TELEGRAM_CHAT and data.get("parse_mode") == "HTML"
            if not checks["payload"]:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            return 200, {"ok": True, "result": {"message_id": len(self.server.requests) + 1, "text": data["text"]}}
        if path == "/xrpc/com.atproto.server.createSession":
            checks["login"] = data == {"identifier": BLUESKY_HANDLE, "password": BLUESKY_APP_PASSWORD}
            if not checks["login"]:
                return 401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
            return 200, {"accessJwt": BLUESKY_JWT, "refreshJwt": "refresh", "handle": BLUESKY_HANDLE, "did": BLUESKY_DID}
        if path == "/xrpc/com.atproto.repo.createRecord":
            checks["auth"] = self.headers.get("Authorization") == f"Bearer {BLUESKY_JWT}"
            record = data.get("record") or {}
            checks["payload"] = (data.get("repo") == BLUESKY_DID and data.get("collection") == "app.bsky.feed.post"
                                 and record.get("$type") == "app.bsky.feed.post" and bool(record.get("createdAt")))
            if not (checks["auth"] and checks["payload"]):
                return 400, {"error": "InvalidRequest", "message": "bad record"}
            return 200, {"uri": f"at://{BLUESKY_DID}/app.bsky.feed.post/3kabc", "cid": "bafyreib2rxk3rh6kzwq"}
        return 404, {"error": "not found"}
