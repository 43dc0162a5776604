"""Source enrichment: which (medium, source, child) a hit came from.

Implements the classification of the "source row" in
``shared/spec/nowmetrix-api.md``: UTM parameters win over the referrer;
search engines, social networks and webmail are named from referer-parser's
list (2016 data) plus `_OWN_TABLE` below for what it misses or names badly;
every other referrer is a ``referral`` from its host, with the path as child.

Pure and cached, no I/O: it runs on every hit. Garbage never raises; an
unparseable referrer counts as direct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping
from urllib.parse import SplitResult, parse_qsl, urlsplit

from referer_parser import REFERERS

MAX_REFERRER_CHARS = 1024
MAX_UTM_CHARS = 100
MAX_PATH_CHARS = 200
REFERRER_CACHE_SIZE = 16384

NEWSLETTER_MEDIUMS = frozenset({"email", "e-mail", "newsletter"})
_UNKNOWN = "referral"  # referer-parser's "unknown": a known host that is not search/social/mail


@dataclass(frozen=True, slots=True)
class Source:
    """One hit's source: the row (medium, source) and its detail row (child)."""

    medium: str
    source: str
    child: str


DIRECT = Source("(none)", "(direct)", "")

# referer-parser's names where ours differ; "Google" becomes "Google Search" per the spec.
_RENAMES = {"Google": "Google Search", "Twitter": "X (Twitter)", "Youtube": "YouTube", "Outlook.com": "Outlook"}
_MEDIUMS = {"search": "search", "social": "social", "email": "newsletter", "unknown": _UNKNOWN}
_APP = "app:"  # key prefix of Android apps ("android-app://<package>/"), matched exactly

# (medium, name, hosts, search-term query parameters): what referer-parser
# misses or names badly. Hosts match themselves and their subdomains
# ("l.threads.net" finds "threads.net"), and win over referer-parser's entries.
_OWN_TABLE: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("social", "X (Twitter)", ("x.com", "twitter.com", "t.co", _APP + "com.twitter.android"), ()),
    ("social", "Bluesky", ("bsky.app",), ()),
    ("social", "Threads", ("threads.net", "threads.com"), ()),
    ("social", "TikTok", ("tiktok.com",), ()),
    ("social", "LinkedIn", ("linkedin.com", "lnkd.in", _APP + "com.linkedin.android"), ()),
    ("social", "Facebook", (_APP + "com.facebook.katana", _APP + "com.facebook.lite"), ()),
    ("social", "Instagram", (_APP + "com.instagram.android",), ()),
    ("social", "Reddit", (_APP + "com.reddit.frontpage",), ()),
    ("social", "Mastodon", ("mastodon.social",), ()),
    ("social", "WhatsApp", ("whatsapp.com", "wa.me", _APP + "com.whatsapp"), ()),
    ("social", "Telegram", ("t.me", "telegram.org", _APP + "org.telegram.messenger"), ()),
    ("social", "Slack", (_APP + "com.slack",), ()),
    ("social", "Discord", ("discord.com",), ()),
    ("social", "Snapchat", ("snapchat.com",), ()),
    ("social", "Flipboard", ("flipboard.com", _APP + "flipboard.app"), ()),
    ("social", "Pinterest", ("pin.it", "pinterest.ch", "pinterest.de", "pinterest.fr"), ()),
    ("search", "Google Search", (_APP + "com.google.android.googlequicksearchbox",), ()),
    ("search", "Google News", ("news.google.com", _APP + "com.google.android.apps.magazines"), ()),
    ("search", "Brave Search", ("search.brave.com",), ("q",)),
    ("search", "Qwant", ("qwant.com",), ("q",)),
    ("search", "Startpage", ("startpage.com",), ("query", "q")),
    ("search", "Kagi", ("kagi.com",), ("q",)),
    ("search", "Baidu", ("baidu.com",), ("wd", "word")),
    ("search", "Yandex", ("yandex.com", "ya.ru"), ("text",)),
    ("search", "Naver", ("search.naver.com",), ("query",)),
    # AI assistants answer queries and cite pages, a search engine's role for
    # a publisher, so they share its medium (our choice).
    ("search", "ChatGPT", ("chatgpt.com", "chat.openai.com"), ()),
    ("search", "Perplexity", ("perplexity.ai",), ()),
    ("search", "Gemini", ("gemini.google.com", "bard.google.com"), ()),
    ("search", "Copilot", ("copilot.microsoft.com",), ()),
    ("search", "Claude", ("claude.ai",), ()),
    ("newsletter", "Gmail", (_APP + "com.google.android.gm",), ()),
    ("newsletter", "Outlook", ("outlook.live.com", "outlook.office.com", "outlook.office365.com", "outlook.com",
                               "mail.live.com", _APP + "com.microsoft.office.outlook"), ()),
    ("newsletter", "Proton Mail", ("mail.proton.me", "mail.protonmail.com"), ()),
    ("newsletter", "GMX", ("navigator.gmx.net", "mail.gmx.com"), ()),
    ("newsletter", "WEB.DE", ("navigator.web.de",), ()),
    ("newsletter", "Yandex Mail", ("mail.yandex.ru", "mail.yandex.com"), ()),
    ("newsletter", "Zoho Mail", ("mail.zoho.com", "mail.zoho.eu"), ()),
    ("newsletter", "Fastmail", ("fastmail.com",), ()),
    ("newsletter", "iCloud Mail", ("icloud.com",), ()),
    # Google products that are not search: without these, the parent-domain
    # walk would file docs.google.com under "Google Search".
    (_UNKNOWN, "", tuple(f"{sub}.google.com" for sub in (
        "docs", "calendar", "classroom", "meet", "chat", "keep", "photos", "play", "analytics", "ads", "cloud",
        "translate",
    )), ()),
)


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def _build_hosts() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    hosts: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for key, entry in REFERERS.items():
        if "/" in key:
            # Path-scoped entries (google.com/imgres, orange.fr/webmail): browsers
            # send origin-only cross-site referrers by default, so paths rarely arrive.
            continue
        medium = _MEDIUMS.get(entry["medium"], _UNKNOWN)
        name = _RENAMES.get(entry["name"], entry["name"])
        hosts[_strip_www(key.lower())] = (medium, name, tuple(entry.get("params") or ()))
    for medium, name, own_hosts, params in _OWN_TABLE:
        hosts.update(dict.fromkeys(own_hosts, (medium, name, params)))
    return hosts


_HOSTS = _build_hosts()
_HOST_RE = re.compile(r"^[a-z0-9_.:-]{1,253}$")


@lru_cache(maxsize=REFERRER_CACHE_SIZE)
def _lookup_host(host: str) -> tuple[str, str, tuple[str, ...]] | None:
    """The table entry for `host` (no www.) or its nearest listed parent domain."""
    while True:
        if (entry := _HOSTS.get(host)) is not None:
            return entry
        _, dot, host = host.partition(".")
        if not dot or "." not in host:
            return None  # stop before a bare TLD ("co.uk" is never listed)


def _split(referrer: str) -> tuple[str, str, SplitResult] | None:
    """(scheme, host, parts) of a referrer with a plausible host, else None."""
    try:
        parts = urlsplit(referrer.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    return (parts.scheme.lower(), host, parts) if _HOST_RE.match(host) else None


@lru_cache(maxsize=REFERRER_CACHE_SIZE)
def _classify_referrer(referrer: str) -> tuple[Source, str] | None:
    """(source, host without www.) for a referrer URL, or None if it is not one."""
    if (split := _split(referrer)) is None:
        return None
    scheme, host, parts = split
    if scheme == "android-app":
        entry = _HOSTS.get(_APP + host)
    elif scheme in ("http", "https"):
        host = _strip_www(host)
        entry = _lookup_host(host)
    else:
        return None  # about:blank, file:, chrome-extension:, "not a url"
    if entry is None or entry[0] == _UNKNOWN:
        return Source("referral", host, (parts.path or "/")[:MAX_PATH_CHARS]), host
    return Source(entry[0], entry[1], host), host


@lru_cache(maxsize=1024)
def _own_matcher(own_hosts: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Normalise a tracker's hosts: exact names plus "*.example.com" suffixes."""
    exact: set[str] = set()
    suffixes: list[str] = []
    for raw in own_hosts:
        value = raw.strip().lower()
        wildcard = value.startswith("*.")
        value = value[2:] if wildcard else value
        try:
            host = urlsplit(value if "://" in value else "//" + value).hostname or ""
        except ValueError:
            continue
        host = _strip_www(host.rstrip("."))
        if host:
            exact.add(host)
            if wildcard:
                suffixes.append("." + host)
    return frozenset(exact), tuple(suffixes)


def _is_own(host: str, own_hosts: Iterable[str]) -> bool:
    exact, suffixes = _own_matcher(frozenset(own_hosts))
    return host in exact or any(host.endswith(suffix) for suffix in suffixes)


def _utm_value(utm: Mapping[str, str], key: str) -> str:
    value = utm.get(key)
    return value.strip()[:MAX_UTM_CHARS] if isinstance(value, str) else ""


def _classify_utm(source: str, medium: str, campaign: str) -> Source:
    medium = medium.lower()
    if medium in NEWSLETTER_MEDIUMS:
        return Source("newsletter", source or "(not set)", campaign)
    if medium:
        return Source(medium, source or "(not set)", campaign)
    # utm_source alone names a sender but not a channel. ChatGPT tags its links
    # "utm_source=chatgpt.com", so a value naming a known host is classified as
    # that host's referrer (one row for ChatGPT, tagged or not); otherwise the
    # sender is treated like a referring site: medium "referral".
    host = _strip_www(source.lower())
    if _HOST_RE.match(host) and (entry := _lookup_host(host)) and entry[0] != _UNKNOWN:
        return Source(entry[0], entry[1], host)
    return Source("referral", source, campaign)


def classify_source(
    referrer: str | None, utm: Mapping[str, str] | None, own_hosts: Iterable[str]
) -> Source | None:
    """Classify one hit; None means internal navigation: keep the visit's source.

    - UTM (utm_source or utm_medium present) wins, even on internal navigation:
      medium email/e-mail/newsletter -> ("newsletter", utm_source, utm_campaign);
      other medium -> (utm_medium lowercased, utm_source, utm_campaign);
      a missing utm_source is "(not set)", a missing campaign ''; utm_source
      without utm_medium: see `_classify_utm`. utm_campaign alone is ignored.
    - No usable referrer (absent, garbage, non-http) -> `DIRECT`.
    - Referrer host in `own_hosts` (compared without "www."; "*.example.com"
      also covers subdomains) -> None. Pass a frozenset: it is used as a cache key.
    - Search, social, webmail -> (medium, name, referring host without www.);
      any other host -> ("referral", host without www., referring path).
    """
    utm = utm or {}
    utm_source, utm_medium = _utm_value(utm, "utm_source"), _utm_value(utm, "utm_medium")
    if utm_source or utm_medium:
        return _classify_utm(utm_source, utm_medium, _utm_value(utm, "utm_campaign"))
    if not referrer:
        return DIRECT
    classified = _classify_referrer(referrer[:MAX_REFERRER_CHARS])
    if classified is None:
        return DIRECT
    source, host = classified
    if _is_own(host, own_hosts):
        return None
    return source


def search_keyword(referrer: str | None) -> str:
    """The search term a search-engine referrer carries, else ''.

    Google and most engines stopped sending terms years ago, so this is
    usually ''; the GA layer reports that as "(not provided)"/"(not set)".
    """
    split = _split(referrer[:MAX_REFERRER_CHARS]) if referrer else None
    if split is None or split[0] not in ("http", "https"):
        return ""
    entry = _lookup_host(_strip_www(split[1]))
    if entry is None or entry[0] != "search" or not entry[2]:
        return ""
    parts = split[2]
    for key, value in parse_qsl(parts.query):
        if key.lower() in entry[2] and value.strip():
            return value.strip()[:MAX_UTM_CHARS]
    return ""


def clear_cache() -> None:
    """Forget cached lookups (tests and benchmarks)."""
    _lookup_host.cache_clear()
    _classify_referrer.cache_clear()
    _own_matcher.cache_clear()
