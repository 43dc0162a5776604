"""What the simulated visitors are made of: places, browsers, arrivals, pages, events.

Written down, not computed with the enrichment code they check: each IP range resolves to its
place in the shipped DB-IP database, each User-Agent to its device class, each referrer to
its source (realtime/tests/test_simulator.py holds them to that), so the ground truth is
independent of the code under test.
"""

from __future__ import annotations

import random
from typing import NamedTuple


class Place(NamedTuple):
    prefix: str  # a /24 that resolves to this place as a whole
    code: str
    country: str
    city: str
    weight: int


PLACES = (
    Place("195.186.1", "CH", "Switzerland", "Zurich", 14), Place("130.59.31", "CH", "Switzerland", "Zurich", 4),
    Place("62.2.1", "CH", "Switzerland", "Bern", 6), Place("188.60.1", "CH", "Switzerland", "Thun", 2),
    Place("217.0.1", "DE", "Germany", "Frankfurt am Main", 8), Place("81.2.69", "GB", "United Kingdom", "London", 6),
    Place("2.2.2", "FR", "France", "Paris", 5), Place("93.35.1", "IT", "Italy", "Milan", 4),
    Place("88.1.1", "ES", "Spain", "Madrid", 3), Place("8.8.8", "US", "United States", "Mountain View", 3),
    Place("73.1.1", "US", "United States", "Orlando", 3), Place("142.1.1", "CA", "Canada", "Toronto", 2),
    Place("24.48.0", "CA", "Canada", "Montreal", 1), Place("1.1.1", "AU", "Australia", "Sydney", 1),
    Place("126.1.1", "JP", "Japan", "Minato-ku", 1), Place("177.1.1", "BR", "Brazil", "Brasília", 1),
    Place("41.1.1", "ZA", "South Africa", "Johannesburg", 1),
    # A documentation range no database knows, like a fresh IPv6 block: country ZZ, no city.
    Place("203.0.113", "ZZ", "Unknown", "(not set)", 1),
)


class Agent(NamedTuple):
    ua: str
    device: str  # desktop | mobile | tablet
    weight: int


_WIN, _MAC = "Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7"
_CHROME = "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
_IOS = "AppleWebKit/605.1.15 (KHTML, like Gecko)"
AGENTS = (
    Agent(f"Mozilla/5.0 ({_WIN}) {_CHROME} Safari/537.36", "desktop", 22),
    Agent(f"Mozilla/5.0 ({_WIN}) {_CHROME} Safari/537.36 Edg/131.0.2903.70", "desktop", 7),
    Agent(f"Mozilla/5.0 ({_WIN}; rv:133.0) Gecko/20100101 Firefox/133.0", "desktop", 5),
    Agent(f"Mozilla/5.0 ({_MAC}) {_IOS} Version/18.1 Safari/605.1.15", "desktop", 8),
    Agent(f"Mozilla/5.0 ({_MAC}) {_CHROME} Safari/537.36", "desktop", 6),
    Agent("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "desktop", 2),
    Agent(f"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) {_IOS} Version/18.1 Mobile/15E148 Safari/604.1",
          "mobile", 20),
    Agent(f"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) {_IOS} CriOS/131.0.6778.73 Mobile/15E148 "
          "Safari/604.1", "mobile", 4),
    Agent("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
          "Safari/537.36", "mobile", 14),
    Agent("Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 "
          "Chrome/122.0.0.0 Mobile Safari/537.36", "mobile", 4),
    Agent("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "mobile", 2),
    Agent(f"Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) {_IOS} Version/17.6 Mobile/15E148 Safari/604.1", "tablet", 4),
    Agent(f"Mozilla/5.0 (Linux; Android 14; SM-X710) {_CHROME} Safari/537.36", "tablet", 2),
)
BOTS = (  # sent only with --bots; the server drops every one of their hits as "bot"
    Agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "desktop", 3),
    Agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "desktop", 1),
    Agent(f"Mozilla/5.0 (X11; Linux x86_64) {_CHROME.replace('Chrome/', 'HeadlessChrome/')} Safari/537.36",
          "desktop", 1),
)


class Landing(NamedTuple):
    """How a visit arrives: referrer and landing-page UTM query, and the source row it makes."""

    referrer: str
    utm: str
    medium: str
    source: str
    child: str
    weight: int


LANDINGS = (
    Landing("", "", "(none)", "(direct)", "", 20),
    Landing("https://www.google.com/", "", "search", "Google Search", "google.com", 14),
    Landing("https://www.google.ch/", "", "search", "Google Search", "google.ch", 10),
    Landing("https://www.google.de/", "", "search", "Google Search", "google.de", 5),
    Landing("https://www.google.co.uk/", "", "search", "Google Search", "google.co.uk", 3),
    Landing("https://www.google.fr/", "", "search", "Google Search", "google.fr", 3),
    Landing("https://www.bing.com/", "", "search", "Bing", "bing.com", 3),
    Landing("https://duckduckgo.com/", "", "search", "DuckDuckGo", "duckduckgo.com", 3),
    Landing("https://m.facebook.com/", "", "social", "Facebook", "m.facebook.com", 5),
    Landing("https://l.facebook.com/", "", "social", "Facebook", "l.facebook.com", 2),
    Landing("https://t.co/", "", "social", "X (Twitter)", "t.co", 3),
    Landing("https://x.com/", "", "social", "X (Twitter)", "x.com", 1),
    Landing("https://news.ycombinator.com/item?id=4242", "", "social", "Hacker News", "news.ycombinator.com", 2),
    Landing("", "utm_source=morning-briefing&utm_medium=email&utm_campaign=daily-edition", "newsletter",
            "morning-briefing", "daily-edition", 6),
    Landing("https://blog.example.org/2026/11/weekly-links", "", "referral", "blog.example.org",
            "/2026/11/weekly-links", 2),
    Landing("https://www.lemonde.fr/", "", "referral", "lemonde.fr", "/", 1),
)


class Page(NamedTuple):
    path: str
    title: str
    author: str
    weight: int


PAGES = (
    Page("/", "Daily Planet: news from Metropolis", "", 30),
    Page("/news/council-approves-new-tram-line", "Council approves the new tram line", "Lois Lane", 14),
    Page("/news/harbour-bridge-reopens", "Harbour bridge reopens after two years", "Clark Kent", 10),
    Page("/news/heatwave-record", "A November heat record", "Lois Lane", 8),
    Page("/sport/metropolis-fc-wins-derby", "Metropolis FC wins the derby", "Jimmy Olsen", 9),
    Page("/sport/marathon-live", "Marathon: live", "Jimmy Olsen", 6),
    Page("/business/startup-raises-series-b", "Start-up raises its series B", "Perry White", 4),
    Page("/business/markets-today", "Markets today", "Perry White", 3),
    Page("/culture/opera-season-opens", "The opera season opens", "Cat Grant", 3),
    Page("/culture/best-books-2026", "The best books of 2026", "Cat Grant", 2),
    Page("/opinion/why-trams-win", "Why trams win", "Perry White", 2),
    Page("/weather", "Weather", "", 4),
    Page("/about", "About the Daily Planet", "", 1),
)
EVENTS = (("video", "play", "tram-line-explainer"), ("newsletter", "signup", "footer"), ("share", "click", "x"),
          ("scroll", "depth", "75"))
WIDTHS = {"desktop": (1920, 1536, 1440, 1366), "mobile": (390, 393, 412, 430), "tablet": (820, 800, 1024)}


def pick(rng: random.Random, items):
    """One item, by the items' weights."""
    return rng.choices(items, weights=[item.weight for item in items])[0]
