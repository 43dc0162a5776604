"""User-Agent enrichment: browser, OS, device class, handset brand/model, bot flag.

Runs once per hit on the ingest hot path, so it is pure (no DB, no Redis) and
cached: the same few thousand User-Agent strings make up almost all traffic.

Parsing uses ua-parser 1.x with the ua-parser-rs resolver (Rust regex set,
about 15 us a cold parse against about 400 us for the pure-Python resolver)
over the ua-parser-builtins regexes. We skip ua-parser's own CachingResolver
because the lru_cache below caches the finished `Agent`, not just the parse.

Values are recorded "natural" (e.g. ``desktop``, ``Mobile Safari``,
``Mac OS X``); GA-style spellings such as ``DESKTOP`` are applied at query time.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache

from ua_parser import load_lazy_builtins
from ua_parser.core import Domain, PartialResult
from ua_parser.regex import Resolver

from realtime.ingest import bots, device_models, devices

# Real browser UAs are 100-300 chars; anything longer is junk or an attack on
# the cache's memory (the cache key is the truncated string).
MAX_UA_CHARS = 512
UA_CACHE_SIZE = 16384
MAX_HINT_CHARS = 64

DESKTOP, MOBILE, TABLET = devices.DESKTOP, devices.MOBILE, devices.TABLET


@dataclass(frozen=True, slots=True)
class Agent:
    """What one User-Agent string tells us, with '' for unknown fields."""

    device: str  # 'desktop' | 'mobile' | 'tablet'
    browser: str
    browser_version: str
    os: str
    os_version: str
    brand: str
    model: str
    is_bot: bool


_SPIDER_FAMILIES = frozenset({"Spider"})
_BOT_BROWSERS = frozenset({"HeadlessChrome", "Python Requests", "curl", "Wget"})

# ua-parser fills brand/model with placeholders when it only knows the OS;
# Chrome's reduced UA sends the literal model "K". Record '' instead.
_PLACEHOLDER_BRANDS = frozenset({"Generic", "Generic_Android", "Generic_Android_Tablet", "Spider"})
_PLACEHOLDER_MODELS = frozenset({"K", "Smartphone", "Tablet", "Desktop", "Feature Phone"})
_BRAND_SPELLING = {"XiaoMi": "Xiaomi"}
# Xiaomi/Redmi/POCO ship numeric codes (2201116SG, M2102J20SG: [M]YYMM+project)
# that the builtin regexes leave "Generic_Android"; no other big brand uses this shape.
_XIAOMI_CODE_RE = re.compile(r"^M?(?:19|2\d)(?:0[1-9]|1[0-2])[0-9A-Z]{4,7}$")

_resolver: Resolver | None = None
_resolver_lock = threading.Lock()


def _get_resolver() -> Resolver:
    """Build the Rust resolver on first use: it compiles ~1,500 regexes (~90 ms)."""
    global _resolver
    if _resolver is None:
        with _resolver_lock:
            if _resolver is None:
                _resolver = Resolver(load_lazy_builtins())
    return _resolver


def _version(*parts: str | None) -> str:
    out: list[str] = []
    for part in parts:
        if part is None:
            break
        out.append(part)
    return ".".join(out)


def _brand_model(result: PartialResult) -> tuple[str, str]:
    device = result.device
    if device is None:
        return "", ""
    brand = device.brand or ""
    model = device.model or ""
    if model in _PLACEHOLDER_MODELS:
        model = ""
    if brand in _PLACEHOLDER_BRANDS:
        brand = ""
        if model.startswith("SM-"):
            brand = "Samsung"  # Galaxy Tab codes (SM-T505, SM-X710) miss the builtins
        elif _XIAOMI_CODE_RE.match(model):
            brand = "Xiaomi"
    return _BRAND_SPELLING.get(brand, brand), model


def _is_bot(low: str, browser_family: str, os_family: str, device_family: str) -> bool:
    if browser_family in _BOT_BROWSERS or bots.matches_bot_list(low):
        return True
    if device_family in _SPIDER_FAMILIES:
        # ua-parser's "Spider" device also matches handsets and browser builds named like bots
        # ("M bot 54", "Banca Caboto"): confirm on the UA without them (rare, so a second parse).
        again = _get_resolver()(bots.strip_not_bot_tokens(low), Domain.DEVICE).device
        return again is not None and again.family in _SPIDER_FAMILIES
    unknown = browser_family in ("", "Other") and os_family in ("", "Other") and device_family in ("", "Other")
    return unknown and bots.looks_scripted(low)


@lru_cache(maxsize=UA_CACHE_SIZE)
def _parse(ua: str) -> Agent:
    if not ua.strip():
        # No UA at all: no browser sends that, only scripts.
        return Agent(DESKTOP, "", "", "", "", "", "", True)
    if not ua.isascii():
        # Lone surrogates cannot cross into Rust or RE2; headers decoded as latin-1 never
        # contain them, but "never raises" must hold for any str.
        ua = ua.encode("utf-8", "replace").decode("utf-8")
    result = _get_resolver()(ua, Domain.ALL)
    browser_family = browser_version = os_family = os_version = ""
    if (browser := result.user_agent) is not None:
        browser_family = browser.family
        browser_version = _version(browser.major, browser.minor, browser.patch, browser.patch_minor)
    if (os_ := result.os) is not None:
        os_family = os_.family
        os_version = _version(os_.major, os_.minor, os_.patch, os_.patch_minor)
    device_family = result.device.family if result.device else ""
    brand, model = _brand_model(result)
    low = ua.lower()
    return Agent(
        device=devices.device_class(low, os_family, device_family),
        browser=browser_family,
        browser_version=browser_version,
        os=os_family,
        os_version=os_version,
        brand=brand,
        model=model,
        is_bot=_is_bot(low, browser_family, os_family, device_family),
    )


def parse_user_agent(ua: str | None, touch_mac: bool = False) -> Agent:
    """Parse a User-Agent header into an `Agent`; never raises.

    The input is truncated to MAX_UA_CHARS *before* the cache lookup so that
    the cache holds at most UA_CACHE_SIZE short keys whatever clients send.

    iPadOS 13+ sends a Mac desktop UA by default; nothing server-side can tell it from a Mac.
    The snippet can (`touch_mac`: a touch screen under a Mac UA, the beacon's "m"). The flag is
    the page's word, so it is trusted for one thing only: a Mac desktop becomes an iPad
    (tablet, iOS). It never turns a bot into a visitor or any other UA into a tablet.
    """
    agent = _parse((ua or "")[:MAX_UA_CHARS])
    if touch_mac and agent.device == DESKTOP and agent.os == "Mac OS X" and not agent.is_bot:
        return _as_ipad(agent)
    return agent


def with_client_hints(agent: Agent, hint_model: str, hint_mobile: str) -> Agent:
    """`agent` corrected by Chromium's client hints: `hint_model`, the device model, and
    `hint_mobile`, "1" a phone, "0" a tablet ('' when not sent), from the page or the
    Sec-CH-UA-* headers. Chrome's reduced Android UA names no model ("Android 10; K"), and
    tablets of small makers say "Mobile". Trusted as little as the iPad flag: the hints only
    choose between mobile and tablet for an Android phone or tablet, and fill the model when
    the UA has none; a desktop, a TV or a bot stays what its UA says. Callers skip the call
    when no hint came (the hot path)."""
    if agent.is_bot or agent.os != "Android" or agent.device == DESKTOP or not (hint_model or hint_mobile):
        return agent
    return _with_hints(agent, hint_model[:MAX_HINT_CHARS], hint_mobile)


@lru_cache(maxsize=4096)
def _with_hints(agent: Agent, model: str, mobile: str) -> Agent:
    device = devices.android_class_from_hints(model.lower(), mobile) or agent.device
    return replace(agent, device=device, model=agent.model or model)


@lru_cache(maxsize=1024)
def _as_ipad(agent: Agent) -> Agent:
    # The frozen "Mac OS X 10_15_7" says nothing of the iPadOS version: left unknown.
    return replace(agent, device=TABLET, os="iOS", os_version="", brand="Apple", model="iPad")


def warm() -> None:
    """Build the UA parser's resolver and the device list now (a process start), not on the
    first hits: a parse of "" returns before reaching either."""
    _get_resolver()
    device_models.device_class("")


def clear_cache() -> None:
    """Forget cached results (tests and benchmarks)."""
    _parse.cache_clear()
    _as_ipad.cache_clear()
    _with_hints.cache_clear()
