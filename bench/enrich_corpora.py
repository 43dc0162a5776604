"""Public labelled corpora for the enrichment-accuracy report, read from what PyPI packages ship.

- User-Agents: the test fixtures of Matomo's Device Detector, shipped in the ``device-detector``
  wheel (requirements-dev.txt): about 30,000 real UAs labelled with a device type, and about
  2,000 bots labelled with a category ("Search bot", "Site Monitor", "Service Agent"...).
- Bots, a second corpus: ``crawler-user-agents`` (PyPI, MIT), real UAs ("instances") of about
  600 crawler patterns, kept by another project than the list NowMetrix ships (CrawlerDetect).
- Referrers: Matomo's searchengine-and-social-list (CC0, a snapshot in bench/data/matomo-referrers/),
  kept apart from the lists NowMetrix ships (referer-parser's and Ghost's), so recognition on it
  is measured, not assumed; and Ghost's ``referrers.json`` (the shipped list, a regression check).

Nothing here is downloaded at run time: a corpus missing from the machine raises
`CorpusMissing`, and the report says so instead of measuring.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

GA4_SOURCE_CATEGORIES = Path(__file__).resolve().parent / "data" / "ga4-source-categories" / "ga4_source_categories.csv"
MATOMO_REFERRERS = Path(__file__).resolve().parent / "data" / "matomo-referrers"
GHOST_REFERRERS = Path(__file__).resolve().parent.parent / "realtime" / "ingest" / "data" / "referrers.json"

# Matomo's device types as NowMetrix's device classes (shared/spec/semantics.md). Types whose
# class the spec leaves open (cameras, speakers, peripherals, media players) are left out.
DEVICE_CLASSES = {
    "smartphone": "mobile", "phablet": "mobile", "feature phone": "mobile", "wearable": "mobile",
    "tablet": "tablet",
    "desktop": "desktop", "tv": "desktop", "console": "desktop", "car browser": "desktop",
    "smart display": "desktop",
}


class CorpusMissing(RuntimeError):
    """A corpus package is not installed (`pip install -r requirements-dev.txt`)."""


class LabelledAgent(NamedTuple):
    user_agent: str
    device_class: str  # '' when the fixture's type has no NowMetrix class
    is_browser: bool  # a real browser (client type "browser"): a bot flag on it is a false positive


class LabelledBot(NamedTuple):
    user_agent: str
    category: str  # "Search bot", "Site Monitor", ... ("Other" when the fixture has none)


def _fixture_dir() -> Path:
    try:
        import device_detector
    except ImportError as exc:
        raise CorpusMissing("device-detector is not installed") from exc
    return Path(device_detector.__file__).parent / "tests" / "fixtures" / "upstream"


def _load_yaml(path: Path) -> list:
    import yaml_rs  # device-detector's own YAML reader: ~10x faster than PyYAML on 30 MB

    return yaml_rs.loads(path.read_text(encoding="utf-8")) or []


def agents() -> Iterator[LabelledAgent]:
    """Every non-bot fixture with a user_agent, deduplicated by UA."""
    seen: set[str] = set()
    for path in sorted(_fixture_dir().glob("*.yml")):
        if path.name == "bots.yml":
            continue
        for entry in _load_yaml(path):
            ua = str(entry.get("user_agent") or "")
            if not ua or ua in seen:
                continue
            seen.add(ua)
            device = (entry.get("device") or {}).get("type") or ""
            client = entry.get("client") or {}
            yield LabelledAgent(ua, DEVICE_CLASSES.get(device, ""), client.get("type") == "browser")


def bots() -> Iterator[LabelledBot]:
    seen: set[str] = set()
    for entry in _load_yaml(_fixture_dir() / "bots.yml"):
        ua = str(entry.get("user_agent") or "")
        if ua and ua not in seen:
            seen.add(ua)
            yield LabelledBot(ua, str((entry.get("bot") or {}).get("category") or "Other"))


def referrer_hosts() -> dict[str, list[str]]:
    """Ghost's hosts by medium ("search", "social", "email"), without path-scoped entries."""
    if not GHOST_REFERRERS.exists():
        raise CorpusMissing(f"{GHOST_REFERRERS} is missing")
    data = json.loads(GHOST_REFERRERS.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for host, entry in data.items():
        if "/" not in host:
            out.setdefault(entry["medium"], []).append(host)
    return out


def crawler_user_agents() -> list[LabelledBot]:
    """The real UAs of crawler-user-agents' entries, deduplicated, with the entry's first tag as
    category ("search-engine", "monitoring", "seo", "ai-crawler"...)."""
    try:
        import crawleruseragents
    except ImportError as exc:
        raise CorpusMissing("crawler-user-agents is not installed") from exc
    seen: dict[str, str] = {}
    for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA:
        tag = (entry.get("tags") or ["other"])[0]
        for ua in entry.get("instances", ()):
            if ua.strip():
                seen.setdefault(ua, tag)
    return [LabelledBot(ua, tag) for ua, tag in seen.items()]


# Matomo's "{}" stands for a country: a subdomain ("{}.search.yahoo.com") or a TLD, which may be
# a second-level one ("google.{}" matches google.co.uk). Each placeholder is measured as one
# plain and one second-level country domain.
_MATOMO_COUNTRIES = ("de", "com.br")


def _expand(host: str) -> list[str]:
    if "{}" not in host:
        return [host]
    if host.startswith("{}."):
        return [host.replace("{}", "de", 1)]
    return [host.replace("{}", country) for country in _MATOMO_COUNTRIES]


def matomo_referrer_hosts() -> dict[str, list[str]]:
    """Matomo's hosts by kind ("search", "social", "ai"): a host, or host/path for a few."""
    if not MATOMO_REFERRERS.exists():
        raise CorpusMissing(f"{MATOMO_REFERRERS} is missing")
    engines = _load_yaml(MATOMO_REFERRERS / "SearchEngines.yml")
    socials = _load_yaml(MATOMO_REFERRERS / "Socials.yml")
    assistants = _load_yaml(MATOMO_REFERRERS / "AIAssistants.yml")
    search = [h for confs in engines.values() for conf in confs for url in conf["urls"] for h in _expand(url)]
    return {
        "search": list(dict.fromkeys(h for h in search if not h.startswith("android-app"))),
        "social": list(dict.fromkeys(h for urls in socials.values() for h in urls)),
        "ai": list(dict.fromkeys(h for urls in assistants.values() for h in urls)),
    }


_GA4_KINDS = {"SOURCE_CATEGORY_SEARCH": "search", "SOURCE_CATEGORY_SOCIAL": "social"}


def ga4_source_hosts() -> dict[str, list[str]]:
    """Google Analytics 4's source categories (Google's published list, as dbt-ga4 keeps it, MIT):
    the host names (entries with a dot; bare names like "google" are utm_source values) of its
    search and social categories."""
    if not GA4_SOURCE_CATEGORIES.exists():
        raise CorpusMissing(f"{GA4_SOURCE_CATEGORIES} is missing")
    out: dict[str, list[str]] = {}
    lines = GA4_SOURCE_CATEGORIES.read_text(encoding="utf-8").splitlines()[1:]
    for source, _, category in (line.rpartition(",")[::2] and line.partition(",") for line in lines):
        if "." in source and category in _GA4_KINDS:
            out.setdefault(_GA4_KINDS[category], []).append(source.strip().lower())
    return out
