"""Realistic ingest traffic with a computable ground truth.

Each visitor has its own public IP (so its own visitor id), one of 40 real browser
User-Agents, a landing page, a referrer (search, social, news, direct) and sometimes UTM
tags; it sends one pageview then four heartbeats, mostly as the snippet's JSON beacon
(`POST /collect`), a fifth of visitors as the pixel (`GET /pixel.gif`). Replaying the list
any number of times keeps the ratio at one pageview to four heartbeats, and every visitor
in the list ends up active."""

from __future__ import annotations

import ipaddress
import json
import random
from dataclasses import dataclass
from urllib.parse import urlencode

HOST = "bench.example"
HITS_PER_VISITOR = 5  # one pageview, four heartbeats

USER_AGENTS = [
    # desktop
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    # mobile
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/130.0.6723.90 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_10 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.6668.100 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.86 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.6613.127 Mobile Safari/537.36",
    "Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0",
    "Mozilla/5.0 (Linux; Android 13; moto g(60)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11; CPH2239) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.6533.103 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 355.0.0.24.108",
    "Mozilla/5.0 (Linux; Android 14; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/488.0.0.40.109;]",
    # tablets
    "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-T220) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/130.2.1 like Chrome/130.0.6723.102 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 YaBrowser/24.7.0.0 Safari/537.36",
]

SEARCH_REFERRERS = [
    "https://www.google.com/", "https://www.google.ch/", "https://www.google.de/", "https://www.google.co.uk/",
    "https://www.google.fr/", "https://www.bing.com/", "https://duckduckgo.com/", "https://search.yahoo.com/",
    "https://yandex.ru/", "https://www.ecosia.org/",
]
SOCIAL_REFERRERS = [
    "https://t.co/abc123", "https://www.facebook.com/", "https://l.facebook.com/", "https://www.reddit.com/r/news/",
    "https://www.linkedin.com/feed/", "https://news.ycombinator.com/", "https://www.instagram.com/",
    "https://out.reddit.com/t3_xyz",
]
REFERRAL_REFERRERS = [f"https://{site}/{path}" for site in ("news.example.org", "blog.example.net", "forum.example.com",
                                                           "partner.example.io", "aggregator.example.co")
                      for path in ("", "articles/today", "links")]
UTM_TAGS = [
    {"utm_source": "morning-briefing", "utm_medium": "email", "utm_campaign": "daily-edition"},
    {"utm_source": "weekly", "utm_medium": "newsletter", "utm_campaign": "weekend"},
    {"utm_source": "twitter", "utm_medium": "social", "utm_campaign": "launch"},
    {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "brand"},
    {"utm_source": "partner", "utm_medium": "affiliate", "utm_campaign": "spring"},
]
SECTIONS = ["news", "sport", "culture", "business", "tech", "opinion", "travel", "science"]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str = ""


@dataclass(frozen=True)
class Traffic:
    site: str
    requests: list[Request]
    visitors: int

    @property
    def pageviews_per_cycle(self) -> int:
        return self.visitors


def _public_ip(rng: random.Random, used: set[str]) -> str:
    while True:
        addr = ipaddress.IPv4Address(rng.randint(0x01000000, 0xDFFFFFFF))
        if addr.is_global and not addr.is_multicast and str(addr) not in used:
            used.add(str(addr))
            return str(addr)


def _referrer(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return ""
    if roll < 0.65:
        return rng.choice(SEARCH_REFERRERS)
    if roll < 0.82:
        return rng.choice(SOCIAL_REFERRERS)
    return rng.choice(REFERRAL_REFERRERS)


def build(site: str, visitors: int, seed: int = 7, pixel_share: float = 0.2, pageviews_only: bool = False) -> Traffic:
    """Five hits per visitor: a pageview and four heartbeats (the mixed load), or, with
    `pageviews_only`, five pageviews of the visitor (the pageview-heavy load: a news reader
    going from story to story)."""
    rng = random.Random(seed)
    pages = [(f"/{rng.choice(SECTIONS)}/{2024 + i % 2}/story-{i}", f"Story number {i}: a headline of some length")
             for i in range(500)]
    used: set[str] = set()
    requests: list[Request] = []
    for _ in range(visitors):
        ip = _public_ip(rng, used)
        ua = rng.choice(USER_AGENTS)
        path, title = pages[min(int(rng.paretovariate(1.2)) - 1, len(pages) - 1)] if rng.random() < 0.5 \
            else rng.choice(pages)
        url = f"https://{'www.' if rng.random() < 0.3 else ''}{HOST}{path}"
        if rng.random() < 0.15:
            url += "?" + urlencode(rng.choice(UTM_TAGS))
        referrer = _referrer(rng)
        width = rng.choice((390, 412, 768, 1280, 1440, 1920, 2560))
        headers = (("User-Agent", ua), ("X-Forwarded-For", ip), ("Accept-Language", "en-US,en;q=0.9"))
        pixel = rng.random() < pixel_share
        for i, kind in enumerate(("pv",) * HITS_PER_VISITOR if pageviews_only else ("pv", "hb", "hb", "hb", "hb")):
            fields = {"s": site, "e": kind, "u": url, "t": title}
            if pageviews_only and i:  # the next story, reached from the previous one
                path, title = rng.choice(pages)
                fields.update({"u": f"https://{HOST}{path}", "t": title, "r": url})
                url = fields["u"]
            if kind == "pv" and not (pageviews_only and i):
                fields.update({"r": referrer, "w": width})
                if rng.random() < 0.4:
                    fields["v"] = 1
            if pixel:
                query = urlencode({k: v for k, v in fields.items() if v != ""})
                requests.append(Request("GET", f"/pixel.gif?{query}", headers + (("Referer", url),)))
            else:
                body = json.dumps({k: v for k, v in fields.items() if v != ""}, separators=(",", ":"))
                requests.append(Request("POST", "/collect", headers + (
                    ("Content-Type", "text/plain;charset=UTF-8"), ("Origin", f"https://{HOST}")), body))
    return Traffic(site, requests, visitors)


def write_spec(requests: list[Request], path) -> None:
    """One request a line: method TAB path TAB headers (`Name: value` joined by \\x1e) TAB body."""
    with open(path, "w", encoding="utf-8") as f:
        for r in requests:
            headers = "\x1e".join(f"{k}: {v}" for k, v in r.headers)
            f.write(f"{r.method}\t{r.path}\t{headers}\t{r.body}\n")


def read_spec(path) -> list[Request]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            method, target, headers, body = line.rstrip("\n").split("\t", 3)
            pairs = tuple(tuple(h.split(": ", 1)) for h in headers.split("\x1e") if h)
            out.append(Request(method, target, pairs, body))
    return out
