"""Public labelled corpora for the enrichment-accuracy report, read from what PyPI packages ship.

- User-Agents: the test fixtures of Matomo's Device Detector, shipped in the ``device-detector``
  wheel (requirements-dev.txt): about 30,000 real UAs labelled with a device type, and about
  2,000 bots labelled with a category ("Search bot", "Site Monitor", "Service Agent"...).
- Referrers: Ghost's ``referrers.json`` (the snapshot in realtime/ingest/data/, MIT), which
  names each host's medium; the hosts the issue lists as missed are in the tests.

Nothing here is downloaded at run time: a corpus missing from the machine raises
`CorpusMissing`, and the report says so instead of measuring.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

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
