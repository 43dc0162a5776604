"""Source enrichment: which (medium, source, child) a hit came from.

Implements the classification of the "source row" in
``shared/spec/nowmetrix-api.md``: UTM parameters win over the referrer;
search engines, social networks and webmail are named from the tables of
`referrers.py` (referer-parser's and Ghost's lists, NowMetrix's own additions and
two rules: fediverse instances and big brands' national domains);
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

from realtime.ingest import referrers
from realtime.ingest.referrers import APP

MAX_REFERRER_CHARS = 1024
MAX_UTM_CHARS = 100
MAX_PATH_CHARS = 200
REFERRER_CACHE_SIZE = 16384

NEWSLETTER_MEDIUMS = frozenset({"email", "e-mail", "newsletter"})
_UNKNOWN = referrers.REFERRAL  # a listed host that is not search/social/mail


@dataclass(frozen=True, slots=True)
class Source:
    """One hit's source: the row (medium, source) and its detail row (child)."""

    medium: str
    source: str
    child: str


DIRECT = Source("(none)", "(direct)", "")

# referer-parser's names where ours differ; "Google" becomes "Google Search" per the spec.
_RENAMES = {"Google": "Google Search", "Twitter": "X (Twitter)", "Youtube": "YouTube", "Outlook.com": "Outlook"}
_MEDIUMS = {"search": "search", "social": "social", "email": "newsletter"}  # anything else: referral
_PACKAGE_PREFIXES = ("com.", "org.", "net.", "ai.", "xyz.", "io.")
_MASTODON = ("social", "Mastodon", ())

def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def _build_hosts() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    hosts: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    params_by_name: dict[str, tuple[str, ...]] = {}
    for key, entry in REFERERS.items():
        if "/" in key:
            # Path-scoped entries (google.com/imgres, orange.fr/webmail): browsers
            # send origin-only cross-site referrers by default, so paths rarely arrive.
            continue
        medium = _MEDIUMS.get(entry["medium"], _UNKNOWN)
        name = _RENAMES.get(entry["name"], entry["name"])
        params = tuple(entry.get("params") or ())
        hosts[_strip_www(key.lower())] = (medium, name, params)
        params_by_name.setdefault(name, params)
    for key, (medium, name) in referrers.ghost_list().items():
        if "/" in key:
            continue
        name = _RENAMES.get(name, name)
        entry = (_MEDIUMS.get(medium, _UNKNOWN), name, params_by_name.get(name, ()))
        hosts[_strip_www(key)] = entry
        if key.startswith(_PACKAGE_PREFIXES):
            hosts[APP + key] = entry  # Ghost lists Android apps by package name ("com.reddit.frontpage")
    for medium, name, own_hosts, params in referrers.OWN_TABLE:
        hosts.update(dict.fromkeys(own_hosts, (medium, name, params)))
    hosts.update(dict.fromkeys(referrers.FEDIVERSE_INSTANCES, _MASTODON))
    for key, (medium, name) in referrers.matomo_list().items():
        if "/" in key or "{}" in key:
            continue
        name = _RENAMES.get(name, name)
        hosts.setdefault(_strip_www(key), (medium, name, params_by_name.get(name, ())))
    return hosts


def _build_national() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Hosts before a country domain ("google" in google.co.uk): the brands of
    `referrers.NATIONAL_BRANDS`, and Matomo's "name.{}" entries."""
    national = {label: (medium, name, ()) for label, (medium, name) in referrers.NATIONAL_BRANDS.items()}
    for key, (medium, name) in referrers.matomo_list().items():
        if key.endswith(".{}") and "/" not in key and (prefix := _strip_www(key[:-3])) not in national:
            national[prefix] = (medium, _RENAMES.get(name, name), ())
    return national


def _build_country_subdomains() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Matomo's "{}.name" entries: any subdomain of name (a country: de.wow.com)."""
    return {key[3:]: (medium, _RENAMES.get(name, name), ()) for key, (medium, name) in referrers.matomo_list().items()
            if key.startswith("{}.") and "/" not in key and "{}" not in key[3:]}


_HOSTS = _build_hosts()
_NATIONAL = _build_national()
_COUNTRY_SUBDOMAINS = _build_country_subdomains()
_HOST_RE = re.compile(r"^[a-z0-9_.:-]{1,253}$")


@lru_cache(maxsize=REFERRER_CACHE_SIZE)
def _lookup_host(host: str) -> tuple[str, str, tuple[str, ...]] | None:
    """The table entry for `host` (no www.) or its nearest listed parent domain, else one of
    the two rules: a fediverse instance, or a big brand's national domain."""
    labels = host.split(".")
    while True:
        if (entry := _HOSTS.get(host)) is not None:
            return entry
        _, dot, host = host.partition(".")
        if not dot or "." not in host:
            break  # stop before a bare TLD ("co.uk" is never listed)
    return _by_rule(labels)


def _by_rule(labels: list[str]) -> tuple[str, str, tuple[str, ...]] | None:
    for index, label in enumerate(labels):
        brand = _NATIONAL.get(label) or (_NATIONAL.get(".".join(labels[:index + 1])) if index else None)
        if brand is not None:
            tail = labels[index + 1:]  # ["kz"] or ["com", "tr"]: a country code, maybe under co./com.
            country_code = len(tail) in (1, 2) and len(tail[-1]) == 2
            if country_code and (len(tail) == 1 or tail[0] in referrers.NATIONAL_SECOND_LEVELS):
                return brand
    for index in range(1, len(labels) - 1):
        if (entry := _COUNTRY_SUBDOMAINS.get(".".join(labels[index:]))) is not None:
            return entry
    for label in labels[:-1]:
        if label.startswith(referrers.FEDIVERSE_LABEL_PREFIXES) or any(
            marker in label for marker in referrers.FEDIVERSE_LABEL_MARKERS
        ):
            return _MASTODON
    return None


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
        entry = _HOSTS.get(APP + host)
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
      without utm_medium: see `_classify_utm`, and the medium of a search, social or
      webmail referrer when there is one. utm_campaign alone is ignored.
    - No usable referrer (absent, garbage, non-http) -> `DIRECT`.
    - Referrer host in `own_hosts` (compared without "www."; "*.example.com"
      also covers subdomains) -> None. Pass a frozenset: it is used as a cache key.
    - Search, social, webmail -> (medium, name, referring host without www.);
      any other host -> ("referral", host without www., referring path).
    """
    utm = utm or {}
    utm_source, utm_medium = _utm_value(utm, "utm_source"), _utm_value(utm, "utm_medium")
    if utm_source or utm_medium:
        tagged = _classify_utm(utm_source, utm_medium, _utm_value(utm, "utm_campaign"))
        if tagged.medium == "referral" and not utm_medium and referrer:
            # utm_source names the sender and wins; without utm_medium the referrer tells the
            # channel: utm_source=push from facebook.com is ("social", "push"), not a referral.
            classified = _classify_referrer(referrer[:MAX_REFERRER_CHARS])
            if classified and classified[0].medium != "referral" and not _is_own(classified[1], own_hosts):
                return Source(classified[0].medium, tagged.source, tagged.child)
        return tagged
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
