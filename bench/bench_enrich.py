"""Per-call cost of the hit enrichment: parse_user_agent, locate, classify_source.

Run from the project root: ``.venv/bin/python bench/bench_enrich.py [N]``. Needs no Django
settings (geo falls back to the bundled DB-IP file).

"cold" clears the caches and feeds N distinct inputs, so every call does the real work;
"warm" repeats a small set of inputs, as real traffic does. One-time setup (compiling the
UA regexes, opening the .mmdb) is timed separately and excluded from both.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from realtime.ingest import geo, sources, useragent  # noqa: E402

UA_TEMPLATES = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{n}.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{n} Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.{n} Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S9{n}B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-X7{n}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.{n}",
    "Mozilla/5.0 (compatible; Googlebot/2.{n}; +http://www.google.com/bot.html)",
)
REFERRER_TEMPLATES = (
    "https://www.google.{tld}/",
    "https://www.bing.com/search?q=term{n}",
    "https://l.facebook.com/l.php?u={n}",
    "https://t.co/{n}",
    "https://blog{n}.example.org/post/{n}",
    "https://www.heise.de/news/article-{n}.html",
    "https://news.example.ch/page/{n}",
    "android-app://com.google.android.gm/{n}",
)
TLDS = ("com", "ch", "de", "fr", "co.uk", "it", "at", "nl")
OWN_HOSTS = frozenset({"news.example.ch", "www.example.ch"})


def varied_user_agents(count: int) -> list[str]:
    return [UA_TEMPLATES[i % len(UA_TEMPLATES)].format(v=100 + i % 30, n=i) for i in range(count)]


def varied_ips(count: int, rng: random.Random) -> list[str]:
    ips = [f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
           for _ in range(count * 9 // 10)]
    ips += [f"2001:{rng.randint(0x200, 0x2fff):x}:{rng.randint(0, 0xffff):x}::{rng.randint(1, 0xffff):x}"
            for _ in range(count - len(ips))]
    return ips


def varied_hits(count: int) -> list[tuple[str, dict[str, str]]]:
    hits = []
    for i in range(count):
        referrer = REFERRER_TEMPLATES[i % len(REFERRER_TEMPLATES)].format(tld=TLDS[i % len(TLDS)], n=i)
        utm = {"utm_source": f"nl{i}", "utm_medium": "email", "utm_campaign": f"c{i}"} if i % 10 == 0 else {}
        hits.append((referrer, utm))
    return hits


def per_call_us(func: Callable[[object], object], inputs: Sequence[object], rounds: int = 1) -> float:
    start = time.perf_counter_ns()
    for _ in range(rounds):
        for value in inputs:
            func(value)
    return (time.perf_counter_ns() - start) / (len(inputs) * rounds) / 1000


def bench(name: str, func: Callable[[object], object], inputs: Sequence[object], clear: Callable[[], None]) -> None:
    clear()
    cold = per_call_us(func, inputs)
    warm_set = inputs[:200]
    per_call_us(func, warm_set)  # fill the cache
    warm = per_call_us(func, warm_set, rounds=50)
    print(f"{name:<18} cold {cold:8.2f} us/call   warm {warm:6.2f} us/call   ({len(inputs)} distinct inputs)")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = random.Random(42)

    start = time.perf_counter()
    useragent.parse_user_agent("warm-up")
    ua_setup = time.perf_counter() - start
    start = time.perf_counter()
    geo.locate("8.8.8.8")
    geo_setup = time.perf_counter() - start
    print(f"one-time setup: UA resolver {ua_setup * 1000:.1f} ms, GeoIP reader {geo_setup * 1000:.1f} ms "
          f"({geo.database_path()})")

    # geo.clear_cache() also closes the reader; keep it open and clear only the lookup cache.
    bench("parse_user_agent", useragent.parse_user_agent, varied_user_agents(count), useragent.clear_cache)
    bench("locate", geo.locate, varied_ips(count, rng), geo._locate.cache_clear)
    bench("client_ip (uncached)", lambda ip: geo.client_ip("127.0.0.1", f"{ip}, 10.0.0.1"),
          varied_ips(count, rng), lambda: None)
    bench("classify_source", lambda hit: sources.classify_source(hit[0], hit[1], OWN_HOSTS),
          varied_hits(count), sources.clear_cache)

    try:
        from referer_parser import Referer
    except ImportError:
        return
    refs = [hit[0] for hit in varied_hits(count)]
    print(f"{'(referer-parser Referer(), for comparison)':<44} {per_call_us(Referer, refs):8.2f} us/call")


if __name__ == "__main__":
    main()
