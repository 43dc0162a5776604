"""Synthetic active visitors, loaded through the real ingest Lua script.

Hits are packed exactly as the ingest path packs them (`hits.pack_hit` layout, a
`record.Record` per visitor) and applied with `live_state.ingest_apply` in batches of 5,000:
the live state ends up as if that many visitors had each sent one pageview. Visitors spread
over 10,000 pages, 200 countries, 2,000 cities and 50 sources with skewed (Zipf-like)
popularity, as real traffic is."""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from types import SimpleNamespace

from realtime import live_state
from realtime.ingest.record import Record, join_parts
from realtime.ingest.visitor import local_date, page_id
from realtime.keys import PART_SEP
from realtime.live_state import TrackerBatch
from realtime.tracker_config import TrackerConfig

PAGES = 10_000
COUNTRIES = 200
CITIES = 2_000
SOURCES = 50
BATCH_HITS = 5_000
HOST = "bench.example"
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

_DEVICES = ("desktop", "mobile", "tablet")
_BROWSERS = (("Chrome", "130.0.0"), ("Safari", "18.1"), ("Firefox", "132.0"), ("Edge", "130.0.0"),
             ("Mobile Safari", "18.1"), ("Chrome Mobile", "130.0.6723"), ("Samsung Internet", "26.0"))
_OSES = (("Windows", "10"), ("Mac OS X", "10.15.7"), ("iOS", "18.1"), ("Android", "14"), ("Linux", ""))
_MEDIUMS = ("search", "social", "referral", "newsletter", "cpc")


def new_site_id(rng: random.Random | None = None) -> str:
    choice = (rng or random.SystemRandom()).choice
    return "".join(choice(_ALPHABET) for _ in range(12))


def publish_tracker(site: str, *, hosts=(HOST,), window_minutes: int = 5, account_id: int = 1, pk: int = 1) -> TrackerConfig:
    """The tracker's ingest configuration, written straight to Redis: no database needed."""
    live_state.tracker_config_publish(SimpleNamespace(
        public_id=site, is_active=True, hosts=list(hosts), timezone="UTC", live_window_minutes=window_minutes,
        honour_dnt=True, public_counter=False, account_id=account_id, pk=pk))
    config = live_state.tracker_config_get(site)
    assert config is not None
    return config


def _skewed(rng: random.Random, n: int) -> int:
    """An index in [0, n) with a long-tailed popularity (a few hot pages, many cold ones)."""
    return min(int(rng.paretovariate(0.9)) - 1, n - 1) if rng.random() < 0.7 else rng.randrange(n)


@dataclass
class Universe:
    """The pages, places and sources synthetic visitors are drawn from."""

    pages: list[tuple[str, str]]  # (page id, packed meta)
    countries: list[str]
    cities: list[str]
    sources: list[str]

    @classmethod
    def make(cls, seed: int = 11) -> Universe:
        rng = random.Random(seed)
        pages = []
        for i in range(PAGES):
            path = f"/section-{i % 40}/{2020 + i % 6}/a-reasonably-long-article-slug-{i}"
            meta = PART_SEP.join((HOST, path, f"Article {i}: a headline of typical length for a news site", "", "", ""))
            pages.append((page_id(HOST, path), meta))
        codes = [chr(65 + i // 26) + chr(65 + i % 26) for i in range(COUNTRIES)]
        countries = [join_parts(code, f"Country {code}") for code in codes]
        cities = [join_parts(codes[i % COUNTRIES], f"City number {i}") for i in range(CITIES)]
        sources = [join_parts("(none)", "(direct)", "")]
        for i in range(1, SOURCES):
            medium = _MEDIUMS[i % len(_MEDIUMS)]
            sources.append(join_parts(medium, f"source-{i}.example", f"child-{i % 7}"))
        rng.shuffle(cities)
        return cls(pages, countries, cities, sources)


def visitor_hits(universe: Universe, rng: random.Random, count: int) -> list[str]:
    """`count` pageviews of new visitors, as 7 ingest.lua arguments each."""
    args: list[str] = []
    for _ in range(count):
        pid, meta = universe.pages[_skewed(rng, PAGES)]
        browser, browser_version = rng.choice(_BROWSERS)
        os_name, os_version = rng.choice(_OSES)
        record = Record(
            page_id=pid, device=rng.choice(_DEVICES), country=universe.countries[_skewed(rng, COUNTRIES)],
            city=universe.cities[_skewed(rng, CITIES)], source=universe.sources[_skewed(rng, SOURCES)],
            browser=browser, browser_version=browser_version, os=os_name, os_version=os_version, brand="",
            model="", region="Region", latitude=f"{rng.uniform(-60, 70):.4f}", longitude=f"{rng.uniform(-180, 180):.4f}",
            user_type="NEW" if rng.random() < 0.6 else "RETURNING",
        )
        args.extend(("pv", secrets.token_urlsafe(12), "", pid, meta, record.pack(), ""))
    return args


def load_visitors(config: TrackerConfig, count: int, *, now: float | None = None, universe: Universe | None = None,
                  seed: int = 3) -> float:
    """Add `count` active visitors last seen at `now`; returns the seconds the Redis calls took."""
    now = time.time() if now is None else now
    universe = universe or Universe.make()
    rng = random.Random(seed)
    date = local_date(config.timezone, now)
    spent = 0.0
    done = 0
    while done < count:
        n = min(BATCH_HITS, count - done)
        batch = TrackerBatch(config.public_id, config.window_secs)
        hits = visitor_hits(universe, rng, n)
        for i in range(0, len(hits), 7):
            batch.add(now, date, hits[i:i + 7])
        t0 = time.perf_counter()
        live_state.ingest_apply([batch], now=now)
        spent += time.perf_counter() - t0
        done += n
    return spent
