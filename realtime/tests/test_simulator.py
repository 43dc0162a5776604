"""The traffic simulator: its catalogs say what the enrichment really does, its ground truth
follows the counting rules, and the live snapshot of a real server fed by it matches that
truth exactly, breakdown by breakdown."""

from __future__ import annotations

import io
import json
import random
import time

import pytest
from django.core.management import call_command

from devstack import simulator
from realtime import live_state, services
from realtime.ingest import geo, sources, useragent
from realtime.ingest.payload import utm_params
from realtime.ingest.visitor import local_date
from realtime.tests.servers import start_uvicorn, wait_until


@pytest.mark.parametrize("place", simulator.PLACES, ids=lambda p: f"{p.city}-{p.prefix}")
def test_each_ip_range_resolves_to_its_stated_place(place):
    for last in (1, 77, 254):
        found = geo.locate(f"{place.prefix}.{last}")
        assert (found.country_code or "ZZ", found.country_name or "Unknown", found.city or "(not set)") == (
            place.code, place.country, place.city)


@pytest.mark.parametrize("agent", simulator.AGENTS + simulator.BOTS, ids=lambda a: a.ua[:60])
def test_each_user_agent_has_its_stated_device_class(agent):
    parsed = useragent.parse_user_agent(agent.ua)
    assert parsed.device == agent.device
    assert parsed.is_bot == (agent in simulator.BOTS)


@pytest.mark.parametrize("landing", simulator.LANDINGS, ids=lambda lnd: lnd.source)
def test_each_landing_classifies_as_its_stated_source(landing):
    found = sources.classify_source(landing.referrer, utm_params(landing.utm), frozenset({"planet.example"}))
    assert (found.medium, found.source, found.child) == (landing.medium, landing.source, landing.child)


def _visitor(landing_index: int = 1) -> simulator.Visitor:
    return simulator.Visitor("195.186.1.9", simulator.AGENTS[0], simulator.PLACES[0],
                             simulator.LANDINGS[landing_index], pixel=False, returning=False)


def test_truth_keeps_the_first_source_and_the_latest_page_and_forgets_a_leaver():
    truth, v = simulator.Truth(), _visitor()
    truth.record(v, simulator.Hit("pv", "/a", {}), 100.0)
    truth.record(v, simulator.Hit("pv", "/b", {}), 101.0)
    truth.record(v, simulator.Hit("hb", "/b", {}), 102.0)
    truth.record(v, simulator.Hit("ev", "/b", {}, event=("video", "play", "x")), 103.0)
    report = truth.report(now=110.0)
    assert report["pages"] == {"/b": {"realtime_users": 1, "pageviews_today": 1,
                                      "sources": [{"medium": "search", "source": "Google Search", "count": 1}]}}
    assert report["pageviews"] == {"/a": 1, "/b": 1}
    assert report["total_events"] == 1
    truth.record(v, simulator.Hit("lv", "/b", {}), 104.0)
    assert truth.report(now=110.0)["total_realtime"] == 0


def test_truth_drops_visitors_silent_for_the_live_window():
    truth = simulator.Truth(window_secs=300)
    truth.record(_visitor(), simulator.Hit("pv", "/a", {}), 100.0)
    assert truth.report(now=400.0)["total_realtime"] == 1
    assert truth.report(now=400.1)["total_realtime"] == 0


def test_a_fixed_seed_sends_the_same_hits():
    def hits(seed: int) -> list:
        traffic = simulator.Traffic("site", "planet.example", random.Random(seed))
        visitors = [traffic.new_visitor() for _ in range(5)]
        return [(v.ip, traffic.next_hit(v).fields) for v in visitors * 4]

    assert hits(3) == hits(3)
    assert hits(3) != hits(4)


def _percent(count: int, total: int) -> int:
    return (count * 200 + total) // (total * 2)  # the spec's "rounded half up"


def _expected(truth: dict) -> dict:
    total = truth["total_realtime"]
    rows = [row | {"percent": _percent(row["count"], total)} for row in truth["sources"]]
    return {
        "total_realtime": total,
        "devices": truth["devices"],
        "api_devices": {"mobile": truth["devices"]["mobile"] + truth["devices"]["tablet"],
                        "desktop": truth["devices"]["desktop"]},
        "pages": {path: {"realtime_users": p["realtime_users"], "pageviews_today": p["pageviews_today"],
                         "sources": sorted((s["medium"], s["source"], s["count"]) for s in p["sources"])}
                  for path, p in truth["pages"].items()},
        "total_pageviews_today": truth["total_pageviews"],
        "countries": sorted((c["code"], c["name"], c["count"]) for c in truth["countries"]),
        "cities": sorted((c["name"], c["count"]) for c in truth["cities"]),
        "sources": rows,
        "sources_top5": rows[:5],
        "pageviews_last_30_min": truth["total_pageviews"],
        "events_last_30_min": truth["total_events"],
    }


def _observed(site: str) -> dict | None:
    stored = live_state.snapshot_get(site)
    if stored is None:
        return None
    realtime, extras = json.loads(stored.realtime), json.loads(stored.extras)
    return {
        "total_realtime": realtime["total_realtime"],
        "devices": extras["devices"],
        "api_devices": realtime["devices"],
        "pages": {p["url"]: {"realtime_users": p["realtime_users"], "pageviews_today": p["pageviews_today"],
                             "sources": sorted((s["medium"], s["source"], s["count"]) for s in p["sources"])}
                  for p in realtime["top_pages"]},
        "total_pageviews_today": realtime["total_pageviews_today"],
        "countries": sorted((c["code"], c["name"], c["count"]) for c in realtime["countries"]),
        "cities": sorted((c["name"], c["count"]) for c in realtime["cities"]),
        "sources": json.loads(stored.sources)["sources"],
        "sources_top5": realtime["sources_top5"],
        "pageviews_last_30_min": sum(extras["series"]["pageviews"]),
        "events_last_30_min": sum(extras["series"]["events"]),
    }


@pytest.mark.slow
def test_the_live_snapshot_of_a_real_server_matches_the_ground_truth(tenant):
    site = tenant.tracker.public_id
    with start_uvicorn() as server:
        out = io.StringIO()
        call_command("simulate_traffic", "--base-url", server.url, "--site", site, "--host", "planet.example",
                     "--visitors", "40", "--rate", "150", "--duration", "4", "--seed", "7", "--bots",
                     "--print-truth", stdout=out)
        truth = json.loads(out.getvalue())
        assert truth["errors"] == 0, server.log()
        # Realistic enough to mean something: every kind of hit, several of each breakdown.
        assert {"pv", "hb", "lv", "ev", "pixel", "bot"} <= set(truth["hits"])
        assert truth["total_realtime"] >= 20 and len(truth["sources"]) >= 6 and len(truth["countries"]) >= 5
        assert all(truth["devices"].values())
        expected = _expected(truth)

        def settled() -> bool:
            services.tick(announce=False)
            return _observed(site) == expected

        try:  # the server writes its batch within NOWMETRIX_INGEST_FLUSH_MS of the last answer
            wait_until(settled, timeout=10, interval=0.1, message="the snapshot to match the truth")
        except AssertionError:
            assert _observed(site) == expected  # shows the difference
        uniques = json.loads(live_state.snapshot_get(site).realtime)["total_unique_visitors_today"]
        assert abs(uniques - truth["unique_visitors_today"]) <= max(1, truth["unique_visitors_today"] // 50)
        today = local_date(tenant.tracker.timezone, time.time())
        assert live_state.drops_get(site, today) == {"bot": truth["hits"]["bot"]}
