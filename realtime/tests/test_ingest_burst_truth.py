"""After a random burst, every number equals the ground truth computed independently."""

import random
import time
from collections import Counter

from realtime.tests.traffic import DESKTOP_CHROME, IPAD, IPHONE, Traffic

IPS = {"8.8.8.8": ("US", "Mountain View"), "81.2.69.142": ("GB", "London")}
UAS = {DESKTOP_CHROME: "desktop", IPHONE: "mobile", IPAD: "mobile"}
REFERRERS = {
    "": ("(none)", "(direct)", None),
    "https://www.google.com/": ("search", "Google Search", "google.com"),
    "https://www.bing.com/search?q=x": ("search", "Bing", "bing.com"),
    "https://news.example.org/some/story": ("referral", "news.example.org", "/some/story"),
}
PATHS = ["/", "/politics", "/sport", "/weather", "/a/long-read"]


def test_counts_after_a_burst_equal_the_ground_truth(tenant):
    rng = random.Random(20261123)
    t = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    visitors = {}  # (ip, ua) -> {"page", "source", "alive"}
    pageviews = Counter()
    # Every (ip, ua) pair is one visitor: 2 IPs x 3 UAs = 6 visitors at most.
    for _ in range(300):
        ip, ua = rng.choice(list(IPS)), rng.choice(list(UAS))
        key = (ip, ua)
        state = visitors.get(key)
        action = rng.random()
        if state is None or not state["alive"] or action < 0.55:
            referrer = rng.choice(list(REFERRERS)) if state is None or not state["alive"] else "https://planet.example/"
            path = rng.choice(PATHS)
            t.hit(path=path, ip=ip, ua=ua, r=referrer)
            pageviews[path] += 1
            if state is None:
                visitors[key] = {"page": path, "source": REFERRERS[referrer], "alive": True}
            else:  # the burst lasts seconds: a returning visitor is still in the same visit
                state.update(page=path, alive=True)
        elif action < 0.85:
            t.hit(kind="hb", path=state["page"], ip=ip, ua=ua)
        else:
            t.hit(kind="lv", path=state["page"], ip=ip, ua=ua)
            state["alive"] = False
    alive = {k: v for k, v in visitors.items() if v["alive"]}
    snap = t.snapshot()

    assert snap["total_realtime"] == len(alive)
    assert snap["total_pageviews_today"] == sum(pageviews.values())
    # A HyperLogLog estimate: exact in practice at this size, allowed one off.
    assert abs(snap["total_unique_visitors_today"] - len(visitors)) <= 1
    devices = Counter(UAS[ua] for _ip, ua in alive)
    assert snap["devices"] == {"mobile": devices["mobile"], "desktop": devices["desktop"]}
    assert {p["url"]: p["realtime_users"] for p in snap["top_pages"]} == dict(Counter(v["page"] for v in alive.values()))
    assert {p["url"]: p["pageviews_today"] for p in snap["top_pages"]} == {
        p["url"]: pageviews[p["url"]] for p in snap["top_pages"]}
    assert {c["code"]: c["count"] for c in snap["countries"]} == dict(Counter(IPS[ip][0] for ip, _ua in alive))
    assert {c["name"]: c["count"] for c in snap["cities"]} == dict(Counter(IPS[ip][1] for ip, _ua in alive))
    expected_sources = Counter((v["source"][0], v["source"][1]) for v in alive.values())
    got = {(s["medium"], s["source"]): s["count"] for s in snap["sources_top5"]}
    assert got == dict(expected_sources)
    for row in snap["sources_top5"]:
        if row["children"]:
            assert sum(c["count"] for c in row["children"]) == row["count"]
