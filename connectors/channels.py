"""The four channels' HTTP requests, with `requests` and one timeout policy.

Each sender makes the documented request of its service and returns an `Outcome`; it never
raises for the service's answers or the network, so the delivery log records every failure.
Retry policy lives with the caller: `Outcome.retryable` is true for timeouts, connection
errors, 5xx and 429, false for other 4xx (a bad token stays bad).

Secrets never reach the log: Telegram's token is part of the URL, so errors are recorded as a
fixed text per exception type, never `str(exception)` (which quotes the URL).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
from dataclasses import dataclass

import requests
from django.conf import settings
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from connectors import messages
from connectors.models import ChannelKind
from connectors.rules import Article

EXCERPT_CHARS = 300
USER_AGENT = "NowMetrix-Connector/1"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    retryable: bool
    status: int | None = None
    excerpt: str = ""
    error: str = ""


@dataclass(frozen=True)
class Message:
    """What one delivery sends: the article and its context, and the delivery's idempotency key."""

    article: Article
    rule: messages.Rule
    tracker: messages.TrackerRef
    test: bool
    sent_at: str  # ISO 8601 UTC
    timestamp: int  # Unix seconds, signed with webhook bodies
    key: str  # the delivery's idempotency key, sent as X-NowMetrix-Delivery


def _timeout() -> tuple[float, float]:
    return settings.NOWMETRIX_CONNECTOR_CONNECT_TIMEOUT_SECS, settings.NOWMETRIX_CONNECTOR_READ_TIMEOUT_SECS


def _private_host(url: str) -> str | None:
    """The host, when it resolves to a loopback, private, link-local or reserved address.

    Checked before each request (not only when the channel is saved), so a name that later
    resolves inward is refused too; a name that changes between this check and the connection
    is not covered (DNS rebinding), which an egress firewall handles better.

    The host is the one `requests` will connect to (urllib3's parser), not `urlsplit`'s: the two
    disagree on `http://127.0.0.1\\@8.8.8.8/`, which would otherwise pass as 8.8.8.8."""
    try:
        host = (parse_url(requests.Request("POST", url).prepare().url).host or "").strip("[]")
    except (requests.RequestException, LocationParseError, ValueError):
        return None  # the request itself then fails the same way
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None  # the request itself then fails as a connection error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return host
    return None


def _post(url: str, *, body: bytes, headers: dict[str, str] | None = None) -> requests.Response | Outcome:
    if not settings.NOWMETRIX_CONNECTOR_ALLOW_PRIVATE and (host := _private_host(url)):
        return Outcome(ok=False, retryable=False,
                       error=f"refused: {host} is a private address (NOWMETRIX_CONNECTOR_ALLOW_PRIVATE=1 allows it)")
    all_headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
    try:
        return requests.post(url, data=body, headers=all_headers, timeout=_timeout(), allow_redirects=False)
    except requests.Timeout:
        return Outcome(ok=False, retryable=True, error="timed out")
    except requests.ConnectionError:
        return Outcome(ok=False, retryable=True, error="connection failed")
    except requests.RequestException as error:
        return Outcome(ok=False, retryable=False, error=f"request failed ({type(error).__name__})")


def _outcome(response: requests.Response | Outcome) -> Outcome:
    if isinstance(response, Outcome):
        return response
    code = response.status_code
    excerpt = response.text[:EXCERPT_CHARS]
    if 200 <= code < 300:
        return Outcome(ok=True, retryable=False, status=code, excerpt=excerpt)
    return Outcome(ok=False, retryable=code >= 500 or code == 429, status=code, excerpt=excerpt, error=f"HTTP {code}")


def _json(data: dict) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<raw body>`, keyed with the secret."""
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def send_webhook(base_url: str, credentials: dict[str, str], message: Message) -> Outcome:
    body = _json(messages.webhook_body(message.article, message.rule, message.tracker, test=message.test,
                                       sent_at=message.sent_at))
    headers = {
        "X-NowMetrix-Signature": webhook_signature(credentials.get("secret", ""), message.timestamp, body),
        "X-NowMetrix-Timestamp": str(message.timestamp),
        "X-NowMetrix-Delivery": message.key,
    }
    return _outcome(_post(base_url, body=body, headers=headers))


def send_slack(base_url: str, credentials: dict[str, str], message: Message) -> Outcome:
    return _outcome(_post(credentials["webhook_url"], body=_json(messages.slack_body(message.article, test=message.test))))


def send_telegram(base_url: str, credentials: dict[str, str], message: Message) -> Outcome:
    base = (base_url or settings.NOWMETRIX_CONNECTOR_TELEGRAM_API).rstrip("/")
    params = {"chat_id": credentials["chat"], **messages.telegram_body(message.article, test=message.test)}
    return _outcome(_post(f"{base}/bot{credentials['token']}/sendMessage", body=_json(params)))


def send_bluesky(base_url: str, credentials: dict[str, str], message: Message) -> Outcome:
    """`com.atproto.server.createSession`, then `com.atproto.repo.createRecord` (a new session per
    post: posts are at most 60 an hour, far below the PDS's session limits)."""
    pds = (base_url or settings.NOWMETRIX_CONNECTOR_BLUESKY_PDS).rstrip("/")
    session = _post(f"{pds}/xrpc/com.atproto.server.createSession",
                    body=_json({"identifier": credentials["handle"], "password": credentials["app_password"]}))
    if isinstance(session, Outcome) or session.status_code != 200:
        # The session answer carries tokens on success only; on failure its body is an error.
        return _outcome(session)
    try:
        auth = session.json()
        token, did = auth["accessJwt"], auth["did"]
    except (ValueError, KeyError, TypeError):
        return Outcome(ok=False, retryable=True, status=session.status_code, error="createSession: unexpected answer")
    record = messages.bluesky_record(message.article, test=message.test, created_at=message.sent_at)
    body = _json({"repo": did, "collection": "app.bsky.feed.post", "record": record})
    return _outcome(_post(f"{pds}/xrpc/com.atproto.repo.createRecord", body=body,
                          headers={"Authorization": f"Bearer {token}"}))


SENDERS = {
    ChannelKind.WEBHOOK: send_webhook,
    ChannelKind.SLACK: send_slack,
    ChannelKind.TELEGRAM: send_telegram,
    ChannelKind.BLUESKY: send_bluesky,
}


def send(kind: str, base_url: str, credentials: dict[str, str], message: Message) -> Outcome:
    return SENDERS[ChannelKind(kind)](base_url, credentials, message)
