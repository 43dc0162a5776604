"""The beacon's "m" (a touch screen under a Mac UA, sent by nm.js) makes iPadOS's Mac UA an iPad
in the visitor's record, for pageviews and heartbeats alike; absent, a Mac stays a Mac."""

import json

import pytest

from realtime.ingest.hits import Client, build_record
from realtime.ingest.payload import parse_beacon
from realtime.tracker_config import TrackerConfig

IPADOS_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15"
)
CONFIG = TrackerConfig("t1", True, ("planet.example",), "UTC", 300, True, False, 1, 1)
CLIENT = Client(ip="8.8.8.8", user_agent=IPADOS_SAFARI, dnt=False)


def beacon(**fields) -> bytes:
    return json.dumps({"s": "t1", "u": "https://planet.example/a", **fields}).encode()


@pytest.mark.parametrize("kind", ["pv", "hb"])
def test_a_touch_hint_makes_the_mac_ua_an_ipad_in_the_record(kind):
    record = build_record(parse_beacon(beacon(e=kind, m=1)), CONFIG, CLIENT)
    assert (record.device, record.os, record.brand, record.model) == ("tablet", "iOS", "Apple", "iPad")


def test_without_the_hint_the_mac_ua_is_a_mac():
    record = build_record(parse_beacon(beacon(e="pv")), CONFIG, CLIENT)
    assert (record.device, record.os, record.model) == ("desktop", "Mac OS X", "Mac")


def test_the_hint_is_a_flag_and_anything_else_is_no_hint():
    assert parse_beacon(beacon(m=1)).touch_mac is True
    assert parse_beacon(beacon(m="yes")).touch_mac is False
