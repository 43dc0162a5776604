"""The application's data for the sections that go through Django: a throwaway SQLite
database (migrated), an account with its Admin, trackers, a read-only API key and a logged-in
session, created with the real services (`trackers.services`)."""

from __future__ import annotations

import http.client
import json
import secrets
from dataclasses import dataclass, field

from bench import synthetic

HOST = synthetic.HOST


@dataclass
class AppStack:
    account: object = None
    user: object = None
    secret: str = ""
    trackers: dict[str, object] = field(default_factory=dict)

    @classmethod
    def create(cls) -> AppStack:
        from django.core.management import call_command

        from trackers import services

        call_command("migrate", verbosity=0, interactive=False)
        stack = cls()
        stack.user, _ = services.user_get_or_create(email="bench@bench.example", password=secrets.token_urlsafe(16))
        stack.account = services.account_create(name=f"Bench {secrets.token_hex(4)}", owner=stack.user)
        _key, stack.secret = services.api_key_issue(account=stack.account, name="bench", created_by=stack.user)
        return stack

    def tracker(self, name: str):
        """A tracker of the bench account; its ingest configuration is published on creation."""
        from realtime import live_state
        from trackers import services

        if name not in self.trackers:
            tracker = services.tracker_create(account=self.account, name=f"Bench {name}", hosts=[HOST],
                                              timezone_name="UTC")
            live_state.tracker_config_publish(tracker)  # whatever the signal receivers do
            self.trackers[name] = tracker
        return self.trackers[name]

    def session_cookie(self) -> str:
        """A logged-in session of the Admin, made the way `django.contrib.auth.login` makes it."""
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(self.user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = self.user.get_session_auth_hash()
        session.create()
        return f"sessionid={session.session_key}"

    @property
    def bearer(self) -> str:
        return f"Bearer {self.secret}"


def http_get(port: int, path: str, headers: dict[str, str] | None = None, conn: http.client.HTTPConnection | None = None,
             timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        if own:
            conn.close()


def pageviews_today(body: bytes) -> int | None:
    """`total_pageviews_today` of a /v1/realtime body or of a dashboard snapshot frame."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("realtime"), dict):
        data = data["realtime"]
    value = data.get("total_pageviews_today") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None
