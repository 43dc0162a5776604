"""End to end: hits over HTTP into the real server, snapshots built by a real Celery worker
(beat's tick), numbers read back through the API equal the traffic sent."""

import http.client
import json
from collections import Counter

import pytest

from realtime import live_state
from realtime.api import microcache
from realtime.tests.servers import start_celery_worker, start_uvicorn, wait_until
from realtime.tests.traffic import DESKTOP_CHROME, IPAD, IPHONE

VISITORS = [  # ip, user agent, path, referrer
    ("81.2.69.142", DESKTOP_CHROME, "/politics", "https://www.google.com/"),
    ("81.2.69.143", IPHONE, "/politics", ""),
    ("81.2.69.144", IPAD, "/sport", "https://www.bing.com/search?q=planet"),
    ("8.8.8.8", DESKTOP_CHROME, "/", "https://news.example.org/today"),
    ("8.8.4.4", IPHONE, "/sport", ""),
]


def _post(port: int, body: dict, ip: str, ua: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", "/collect", body=json.dumps(body),
                     headers={"Content-Type": "text/plain", "User-Agent": ua, "X-Forwarded-For": ip})
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_hits_over_http_reach_the_api_through_the_worker(client, tenant, bearer):
    site = tenant.tracker.public_id
    with start_uvicorn() as server:
        worker = start_celery_worker()
        try:
            for ip, ua, path, referrer in VISITORS:
                body = {"s": site, "e": "pv", "u": f"https://planet.example{path}", "t": path, "r": referrer}
                assert _post(server.port, body, ip, ua) == 204
            # The first visitor moves on, the second leaves.
            assert _post(server.port, {"s": site, "e": "pv", "u": "https://planet.example/sport",
                                       "r": "https://planet.example/politics"}, VISITORS[0][0], VISITORS[0][1]) == 204
            assert _post(server.port, {"s": site, "e": "lv", "u": "https://planet.example/politics"},
                         VISITORS[1][0], VISITORS[1][1]) == 204

            def built_by_the_worker():
                stored = live_state.snapshot_get(site)
                snap = json.loads(stored.realtime) if stored else None
                return snap if snap and snap["total_pageviews_today"] == 6 and snap["total_realtime"] == 4 else None

            stored = wait_until(built_by_the_worker, timeout=30, interval=0.2, message="the worker's snapshot")
            microcache.clear()
            body = client.get(f"/v1/realtime?site={site}", **bearer).json()
        finally:
            worker.stop()
            worker_log = worker.log()
    assert "realtime.tasks.tick" in worker_log
    assert body["total_realtime"] == stored["total_realtime"] and body["top_pages"] == stored["top_pages"]
    pages = {p["url"]: (p["realtime_users"], p["pageviews_today"]) for p in body["top_pages"]}
    assert pages == {"/sport": (3, 3), "/": (1, 1)}
    assert body["devices"] == {"mobile": 2, "desktop": 2}
    assert {c["code"]: c["count"] for c in body["countries"]} == {"GB": 2, "US": 2}
    sources = Counter({(s["medium"], s["source"]): s["count"] for s in body["sources_top5"]})
    assert sources == Counter({("search", "Google Search"): 1, ("search", "Bing"): 1,
                               ("referral", "news.example.org"): 1, ("(none)", "(direct)"): 1})
