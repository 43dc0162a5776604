"""Every drop decision is a step of `realtime.ingest.pipeline.classify`, in a fixed order, with
one reason type (`DropReason`); a hit that passes every step comes out as its record."""

import json

import pytest

from realtime.drops import DropReason
from realtime.ingest.hits import Client
from realtime.ingest.payload import parse_beacon
from realtime.ingest.pipeline import Accepted, Dropped, at_the_door, classify
from realtime.tests.traffic import DESKTOP_CHROME, GOOGLEBOT
from realtime.tracker_config import TrackerConfig

SITE = "t" * 12


def config(**changes) -> TrackerConfig:
    values = dict(public_id=SITE, active=True, hosts=("planet.example",), timezone="UTC", window_secs=300,
                  honour_dnt=True, public_counter=False, account_id=1, view_id=1)
    return TrackerConfig(**{**values, **changes})


def hit(site: str = SITE, host: str = "planet.example", **fields):
    return parse_beacon(json.dumps({"s": site, "u": f"https://{host}/a", **fields}).encode())


BROWSER = Client(ip="8.8.8.8", user_agent=DESKTOP_CHROME, dnt=False)


def test_a_hit_that_passes_every_step_comes_out_with_its_record():
    verdict = classify(hit(), config(), BROWSER)
    assert isinstance(verdict, Accepted)
    assert verdict.record.device == "desktop"


@pytest.mark.parametrize("the_hit, the_config, the_client, reason", [
    (None, None, None, DropReason.MALFORMED),
    (hit(site="not-a-tracker"), config(), BROWSER, DropReason.UNKNOWN_TRACKER),
    (hit(), None, BROWSER, DropReason.UNKNOWN_TRACKER),
    (hit(), config(active=False), BROWSER, DropReason.INACTIVE_TRACKER),
    (hit(host="elsewhere.example"), config(), BROWSER, DropReason.DISALLOWED_HOST),
    (hit(), config(), Client("8.8.8.8", DESKTOP_CHROME, dnt=True), DropReason.DO_NOT_TRACK),
    (hit(), config(), Client("8.8.8.8", GOOGLEBOT, dnt=False), DropReason.BOT),
])
def test_classify_drops_a_hit_for_the_first_reason_that_applies(the_hit, the_config, the_client, reason):
    assert classify(the_hit, the_config, the_client) == Dropped(reason)


def test_a_tracker_that_ignores_do_not_track_keeps_the_hit():
    dnt = Client("8.8.8.8", DESKTOP_CHROME, dnt=True)
    assert isinstance(classify(hit(), config(honour_dnt=False), dnt), Accepted)


def test_the_door_drops_only_what_needs_no_tracker_settings():
    assert at_the_door(None) == Dropped(DropReason.MALFORMED)
    assert at_the_door(hit(site="not-a-tracker")) == Dropped(DropReason.UNKNOWN_TRACKER)
    assert at_the_door(hit(host="elsewhere.example")) is None


def test_the_tracker_page_shows_every_reason_a_tracker_counts_with_a_label():
    shown = DropReason.shown_per_tracker()
    assert DropReason.MALFORMED not in shown and DropReason.UNKNOWN_TRACKER not in shown
    assert [r.label for r in shown] == ["Bots", "Do Not Track / GPC", "Host not allowed", "Tracker inactive",
                                        "Lost in an outage (spool full)"]
