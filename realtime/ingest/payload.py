"""Parse and validate what the snippet (JSON beacon) or the pixel (query string) sends.

Anything out of bounds makes the whole hit malformed: it is dropped and counted, never
truncated into something that was not sent."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlsplit

MAX_BODY_BYTES = 8 * 1024
MAX_URL_CHARS = 2048
MAX_TEXT_CHARS = 512
MAX_WIDTH_PX = 100_000
KINDS = frozenset({"pv", "hb", "lv", "ev"})
# Tabs and unit separators delimit packed values in Redis; no control character (C0 or C1) is
# kept in free text, and identifiers or URLs that carry one are malformed.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Lone surrogates (a JSON "\ud800" escape) cannot be encoded as UTF-8: such a hit is malformed.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# JSON strings, skipped when measuring nesting (possessive: linear time whatever the input).
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
# A DNS name as browsers send it (IDNs in punycode), label by label.
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


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
    # Client hints of Chromium on Android (useragent.py): "k", the device model, and "o", "1" on
    # a phone and "0" on a tablet (navigator.userAgentData; other Android browsers: the screen's
    # smaller side under 600 px), or the Sec-CH-UA-* request headers.
    hint_model: str = ""
    hint_mobile: str = ""  # "1", "0" or "" (not sent)


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
    if _SURROGATE.search(value):
        raise Malformed(f"{key} is not valid Unicode")
    return _CONTROL.sub(" ", value).strip()


def _identifier(data, key: str, limit: int) -> str:
    """Like `_text`, but a control character makes the hit malformed instead of a space."""
    value = data.get(key)
    if value.__class__ is str and not (value.isascii() and value.isprintable()) and _CONTROL.search(value):
        raise Malformed(f"{key} has control characters")
    return _text(data, key, limit)


@lru_cache(maxsize=4096)  # hosts repeat with every hit of a site; bounded, whoever sends them
def _valid_host(host: str) -> bool:
    if len(host) > 253:
        return False
    if ":" in host:  # an IPv6 literal (urlsplit already checked the brackets' content)
        return True
    if host.isascii() and all(_HOST_LABEL.match(label) for label in host.split(".")):
        return True
    return False


def _page_url(url: str) -> tuple[str, str, str]:
    """(host, path, query) of an http(s) page URL with a valid host and port, else Malformed."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        if ":" in parts.netloc:
            parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        raise Malformed("url is not a URL") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise Malformed("url is not an http(s) URL")
    if "\\" in parts.netloc:  # browsers read "\\" as "/" there, Python does not: the host is ambiguous
        raise Malformed("url has an ambiguous host")
    if not _valid_host(host):
        raise Malformed("url has an invalid host")
    return host, parts.path or "/", parts.query


def _width(value) -> int:
    """Screen width in CSS pixels: a whole number within 0..MAX_WIDTH_PX (or absent)."""
    if value is None or value == "" or value is False:
        return 0
    if isinstance(value, bool):
        raise Malformed("width is not a number")
    if isinstance(value, float):
        if not (math.isfinite(value) and 0 <= value <= MAX_WIDTH_PX):  # checked before truncating -0.5 to 0
            raise Malformed("width is not a finite number in range")
        width = int(value)
    elif isinstance(value, int):
        width = value
    elif isinstance(value, str) and value.isascii() and value.strip().isdigit() and len(value) <= 12:
        width = int(value)
    else:
        raise Malformed("width is not a number")
    if not 0 <= width <= MAX_WIDTH_PX:
        raise Malformed("width is out of range")
    return width


MAX_HINT_CHARS = 64  # device models are short ("SM-X710", "Lenovo TB-X605L")


def _hint_mobile(value: str) -> str:
    return value if value in ("0", "1") else ""


def hint_model_header(value: bytes) -> str:
    """Sec-CH-UA-Model is a structured-header string: '"SM-X710"'."""
    text = clean(value.decode("latin-1"))[:MAX_HINT_CHARS + 2].strip()
    return text[1:-1].replace('\\"', '"').strip() if len(text) >= 2 and text[0] == text[-1] == '"' else ""


def hint_mobile_header(value: bytes) -> str:
    """Sec-CH-UA-Mobile is a structured-header boolean: ?1 or ?0."""
    return {b"?1": "1", b"?0": "0"}.get(value.strip(), "")


def _flag(data, key: str) -> bool:
    return str(data.get(key, "")) in ("1", "true", "True")


def parse_fields(data, fallback_url: str = "") -> RawHit:
    """Validate a mapping of the snippet's short keys (see realtime/ingest/snippet/nm.js)."""
    site = _identifier(data, "s", 64)
    if not site:
        raise Malformed("site is missing")
    kind = _identifier(data, "e", 4) or "pv"
    if kind not in KINDS:
        raise Malformed("unknown hit type")
    url = _identifier(data, "u", MAX_URL_CHARS) or fallback_url[:MAX_URL_CHARS]
    if not (url.isascii() and url.isprintable()) and (_CONTROL.search(url) or _SURROGATE.search(url)):
        raise Malformed("url has control characters")
    host, path, query = _page_url(url)
    width = _width(data.get("w"))
    image = _text(data, "i", MAX_URL_CHARS)
    if image and not image.startswith(("http://", "https://")):
        try:
            image = urljoin(url, image)  # a relative og:image resolves against the page
        except ValueError:  # "//[oops" and the like: an image we cannot place is left out
            image = ""
        if not image.startswith(("http://", "https://")):
            image = ""  # only http(s) images are ever shown
    return RawHit(
        site=site,
        kind=kind,
        url=url,
        host=host,
        path=path,
        query=query,
        title=_text(data, "t"),
        referrer=_text(data, "r", MAX_URL_CHARS),
        width=width,
        og_image=image,
        author=_text(data, "a"),
        pubdate=_text(data, "p", 64),
        returning=_flag(data, "v"),
        dnt=_flag(data, "d"),
        category=_text(data, "c", 150),
        action=_text(data, "x", 150),
        label=_text(data, "l", 150),
        touch_mac=_flag(data, "m"),
        hint_model=_text(data, "k")[:MAX_HINT_CHARS],  # cut, not refused: the page cannot choose it
        hint_mobile=_hint_mobile(str(data.get("o", ""))),
    )


def _reject_constant(name: str):
    raise Malformed(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 overflows to inf
        raise Malformed("a number is out of range")
    return value


# One decoder, built once: `json.loads` with hooks would build a new one for every hit.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _is_flat(text: str) -> bool:
    """Whether the JSON text nests no container in another. A hit is one flat object, so any
    deeper nesting is malformed, and rejecting it before `json.loads` bounds its recursion."""
    if text.count("{") <= 1 and "[" not in text:  # the snippet's beacons: no string scan needed
        return True
    skeleton = _JSON_STRING.sub('""', text)
    return skeleton.count("{") <= 1 and "[" not in skeleton


def parse_beacon(body: bytes) -> RawHit:
    """A POST body: one flat JSON object sent as text/plain (no CORS preflight), at most
    MAX_BODY_BYTES, strict UTF-8, finite numbers only."""
    if len(body) > MAX_BODY_BYTES:
        raise Malformed("body is too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("body is not UTF-8") from None
    if not _is_flat(text):
        raise Malformed("body nests objects or arrays")
    try:
        data = _DECODER.decode(text)
    except (ValueError, RecursionError):  # RecursionError cannot happen after _is_flat; kept as a guard
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
