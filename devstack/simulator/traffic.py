"""Who comes and what each visitor sends next, hit by hit, as the snippet and the pixel would."""

from __future__ import annotations

import random
from dataclasses import dataclass

from devstack.simulator.catalog import (AGENTS, BOTS, EVENTS, LANDINGS, PAGES, PLACES, WIDTHS, Agent, Landing, Place,
                                        pick)


@dataclass
class Visitor:
    """One visitor: to the server, an (IP, User-Agent) pair; here also where they are on the site."""

    ip: str
    agent: Agent
    place: Place
    landing: Landing
    pixel: bool  # no JavaScript: pageviews through the pixel only, no heartbeats, no leave
    returning: bool
    bot: bool = False
    planned_pageviews: int = 0  # pixel visitors and bots stop after this many
    url: str = ""  # current page URL: the referrer of the next internal pageview
    path: str = ""
    title: str = ""
    pageviews: int = 0
    hits: int = 0
    done: bool = False  # sends nothing more: left, or a pixel visitor or bot who stopped

    @property
    def key(self) -> tuple[str, str]:
        return self.ip, self.agent.ua


@dataclass(frozen=True)
class Hit:
    """One request: `fields` are the snippet's short keys, sent as a JSON beacon or a pixel query."""

    kind: str  # pv | hb | lv | ev
    path: str
    fields: dict
    pixel: bool = False
    event: tuple[str, str, str] = ("", "", "")


class Traffic:
    """Decides who comes and what each visitor sends next; every choice comes from `rng`."""

    def __init__(self, site: str, host: str, rng: random.Random, bots: bool = False):
        self.site, self.host, self.rng, self.bots = site, host, rng, bots
        self.origin = f"{'http' if host in ('localhost', '127.0.0.1') else 'https'}://{host}"
        self.used: set[tuple[str, str]] = set()  # one (ip, ua) is one visitor: never reuse it

    def new_visitor(self) -> Visitor:
        rng = self.rng
        bot = self.bots and rng.random() < 0.05
        while True:
            place, agent = pick(rng, PLACES), pick(rng, BOTS if bot else AGENTS)
            ip = f"{place.prefix}.{rng.randint(1, 254)}"
            if (ip, agent.ua) not in self.used:
                self.used.add((ip, agent.ua))
                break
        pixel = bot or rng.random() < 0.1
        return Visitor(ip, agent, place, pick(rng, LANDINGS), pixel, rng.random() < 0.4, bot,
                       rng.randint(1, 3) if pixel else 0)

    def next_hit(self, v: Visitor) -> Hit:
        v.hits += 1
        if not v.path:
            return self._pageview(v, landing=True)
        if v.pixel:
            return self._pageview(v)
        roll = self.rng.random()
        if roll < 0.12 or v.hits > 25:
            v.done = True
            return self._beacon(v, "lv")
        if roll < 0.22:
            category, action, label = self.rng.choice(EVENTS)
            return self._beacon(v, "ev", {"c": category, "x": action, "l": label}, (category, action, label))
        if roll < 0.5:
            return self._pageview(v)
        return self._beacon(v, "hb")

    def _pageview(self, v: Visitor, landing: bool = False) -> Hit:
        page = pick(self.rng, PAGES)
        while not landing and page.path == v.path and len(PAGES) > 1:
            page = pick(self.rng, PAGES)
        url = self.origin + page.path + (f"?{v.landing.utm}" if landing and v.landing.utm else "")
        referrer = v.landing.referrer if landing else v.url  # the snippet sends the previous URL
        v.url, v.path, v.title, v.pageviews = url, page.path, page.title, v.pageviews + 1
        v.done = v.pixel and v.pageviews >= v.planned_pageviews
        if v.pixel:
            return Hit("pv", page.path, {"s": self.site, "e": "pv", "u": url, "t": page.title, "r": referrer},
                       pixel=True)
        fields = {"s": self.site, "e": "pv", "u": url, "t": page.title, "r": referrer,
                  "w": self.rng.choice(WIDTHS[v.agent.device]), "v": 1 if v.returning else 0, "a": page.author,
                  "i": f"https://images.example{page.path.rstrip('/')}/lead.jpg" if page.author else ""}
        return Hit("pv", page.path, {k: value for k, value in fields.items() if value})

    def _beacon(self, v: Visitor, kind: str, extra: dict | None = None, event=("", "", "")) -> Hit:
        return Hit(kind, v.path, {"s": self.site, "e": kind, "u": v.url, "t": v.title, **(extra or {})}, event=event)


