"""Parse and validate what the snippet (JSON beacon) or the pixel (query string) sends.

Anything out of bounds makes the whole hit malformed: it is dropped and counted, never
truncated into something that was not sent."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

MAX_BODY_BYTES = 8 * 1024
MAX_URL_CHARS = 2048
MAX_TEXT_CHARS = 512
KINDS = frozenset({"pv", "hb", "lv", "ev"})
# Tabs and unit separators delimit packed values in Redis; no control character is kept.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Malformed(ValueError):
    """The hit cannot be understood; the reason is recorded with the dropped-hit counters."""


@dataclass(slots=True)
class RawHit:
    site: str
    kind: str
    url: str
    host: str
    path: str
    query: str
    title: str = ""
    referrer: str = ""
    width: int = 0
    og_image: str = ""
    author: str = ""
    pubdate: str = ""
    returning: bool = False
    dnt: bool = False
    category: str = ""
    action: str = ""
    label: str = ""
    touch_mac: bool = False  # "m": a Mac UA on a touch screen, i.e. iPadOS (useragent.py)


def _text(data, key: str, limit: int = MAX_TEXT_CHARS) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if value.__class__ is not str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        elif not value:
            return ""
        else:
            raise Malformed(f"{key} is not a string")
    if len(value) > limit:
        raise Malformed(f"{key} is too long")
    if value.isascii() and value.isprintable():  # the common case, checked in C
        return value.strip()
    return _CONTROL.sub(" ", value).strip()


def _flag(data, key: str) -> bool:
    return str(data.get(key, "")) in ("1", "true", "True")


def parse_fields(data, fallback_url: str = "") -> RawHit:
    """Validate a mapping of the snippet's short keys (see realtime/ingest/snippet/nm.js)."""
    site = _text(data, "s", 64)
    if not site:
        raise Malformed("site is missing")
    kind = _text(data, "e", 4) or "pv"
    if kind not in KINDS:
        raise Malformed("unknown hit type")
    url = _text(data, "u", MAX_URL_CHARS) or fallback_url[:MAX_URL_CHARS]
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        raise Malformed("url is not a URL") from None
    if parts.scheme not in ("http", "https") or not host:
        raise Malformed("url is not an http(s) URL")
    try:
        width = int(data.get("w") or 0)
    except (TypeError, ValueError):
        raise Malformed("width is not a number") from None
    image = _text(data, "i", MAX_URL_CHARS)
    if image and not image.startswith(("http://", "https://")):
        image = urljoin(url, image)  # a relative og:image resolves against the page
        if not image.startswith(("http://", "https://")):
            image = ""  # only http(s) images are ever shown
    return RawHit(
        site=site,
        kind=kind,
        url=url,
        host=host,
        path=_CONTROL.sub("", parts.path) or "/",
        query=parts.query,
        title=_text(data, "t"),
        referrer=_text(data, "r", MAX_URL_CHARS),
        width=max(0, min(width, 100_000)),
        og_image=image,
        author=_text(data, "a"),
        pubdate=_text(data, "p", 64),
        returning=_flag(data, "v"),
        dnt=_flag(data, "d"),
        category=_text(data, "c", 150),
        action=_text(data, "x", 150),
        label=_text(data, "l", 150),
        touch_mac=_flag(data, "m"),
    )


def parse_beacon(body: bytes) -> RawHit:
    """A POST body: JSON object sent as text/plain (no CORS preflight)."""
    if len(body) > MAX_BODY_BYTES:
        raise Malformed("body is too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Malformed("body is not JSON") from None
    if not isinstance(data, dict):
        raise Malformed("body is not a JSON object")
    return parse_fields(data)


def parse_pixel(query_string: bytes, page_url: str) -> RawHit:
    """A pixel GET: the same keys in the query string; the page URL falls back to the Referer."""
    if len(query_string) > MAX_BODY_BYTES:
        raise Malformed("query is too large")
    try:
        text = query_string.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("query is not UTF-8") from None
    try:
        data = dict(parse_qsl(text, keep_blank_values=False, errors="strict"))
    except UnicodeDecodeError:
        raise Malformed("query is not UTF-8") from None
    return parse_fields(data, fallback_url=page_url)


def clean(value: str) -> str:
    """Without control characters (request headers: the User-Agent)."""
    return value if value.isprintable() else _CONTROL.sub("", value)


def utm_params(query: str) -> dict[str, str]:
    """The `utm_*` parameters of a page URL's query string (keys as sent: `utm_source`...)."""
    if "utm_" not in query:
        return {}
    out = {}
    for key, value in parse_qsl(query, errors="replace"):
        if key.startswith("utm_") and value:
            out[key] = _CONTROL.sub(" ", value)[:150].strip()
    return out
