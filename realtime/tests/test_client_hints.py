"""Chromium's client hints (the device model and the mobile flag, sent by nm.js as "k" and "o"
or by the browser as Sec-CH-UA-* headers) choose between mobile and tablet on Android, and
nothing else: a desktop, a TV or a bot stays what its UA says."""

import json

import pytest

from realtime.ingest.hits import Client, build_record
from realtime.ingest.payload import hint_mobile_header, hint_model_header, parse_beacon
from realtime.ingest.useragent import parse_user_agent, with_client_hints
from realtime.tracker_config import TrackerConfig

# Chrome's reduced Android UAs: no model ("K"); "Mobile" on phones only.
REDUCED_PHONE = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/131.0.0.0 Mobile Safari/537.36")
REDUCED_TABLET = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
WINDOWS_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
ANDROID_TV = ("Mozilla/5.0 (Linux; Android 12; BRAVIA 4K VH2 Build/STT1.211025.001.Z4) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
GOOGLEBOT_SMARTPHONE = ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
                        "like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
                        "+http://www.google.com/bot.html)")
CONFIG = TrackerConfig("t1", True, ("planet.example",), "UTC", 300, True, False, 1, 1)


@pytest.mark.parametrize("ua, model, mobile, device, recorded_model", [
    # a tablet that says "Mobile": its model tells (Lenovo Tab M10, Galaxy Tab S9)
    (REDUCED_PHONE, "Lenovo TB-X605L", "1", "tablet", "Lenovo TB-X605L"),
    (REDUCED_PHONE, "SM-X710", "", "tablet", "SM-X710"),
    # a phone's model keeps it mobile whatever the flag
    (REDUCED_PHONE, "SM-S918B", "0", "mobile", "SM-S918B"),
    (REDUCED_TABLET, "Pixel 8", "", "tablet", "Pixel 8"),  # a model no rule knows: the UA decides
    # no model: the flag decides
    (REDUCED_PHONE, "", "0", "tablet", ""),
    (REDUCED_TABLET, "", "1", "mobile", ""),
    (REDUCED_TABLET, "", "", "tablet", ""),
])
def test_android_hints_choose_between_mobile_and_tablet(ua, model, mobile, device, recorded_model):
    agent = with_client_hints(parse_user_agent(ua), model, mobile)
    assert (agent.device, agent.model, agent.os) == (device, recorded_model, "Android")


@pytest.mark.parametrize("ua", [WINDOWS_CHROME, ANDROID_TV, GOOGLEBOT_SMARTPHONE])
def test_hints_change_nothing_beyond_android_phones_and_tablets(ua):
    assert with_client_hints(parse_user_agent(ua), "SM-X710", "0") == parse_user_agent(ua)


def test_a_model_in_the_ua_is_kept_over_the_hinted_one():
    ua = ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")
    assert with_client_hints(parse_user_agent(ua), "Something Else", "").model == "SM-X710"


def test_the_beacon_hints_reach_the_record():
    hit = parse_beacon(json.dumps({"s": "t1", "u": "https://planet.example/a", "k": "TB-X605L", "o": "1"}).encode())
    record = build_record(hit, CONFIG, Client(ip="8.8.8.8", user_agent=REDUCED_PHONE, dnt=False))
    assert (record.device, record.model) == ("tablet", "TB-X605L")


@pytest.mark.parametrize("fields, model, mobile", [
    ({"k": "SM-X710", "o": "0"}, "SM-X710", "0"),
    ({"k": "SM-X710", "o": 1}, "SM-X710", "1"),
    ({"k": "a\tb", "o": "yes"}, "a b", ""),  # control characters blanked, a flag is "0" or "1"
    ({"k": "M" * 100}, "M" * 64, ""),  # a long model is cut, the hit kept
    ({}, "", ""),
])
def test_the_beacon_hints_are_read_as_text_and_a_flag(fields, model, mobile):
    hit = parse_beacon(json.dumps({"s": "t1", "u": "https://planet.example/a", **fields}).encode())
    assert (hit.hint_model, hit.hint_mobile) == (model, mobile)


@pytest.mark.parametrize("header, model", [
    (b'"SM-X710"', "SM-X710"), (b'""', ""), (b"SM-X710", ""), (b'"a\\"b"', 'a"b'), (b'"x\x01y"', "xy"),
])
def test_the_model_header_is_a_structured_string(header, model):
    assert hint_model_header(header) == model


@pytest.mark.parametrize("header, mobile", [(b"?1", "1"), (b"?0", "0"), (b"1", ""), (b"", "")])
def test_the_mobile_header_is_a_structured_boolean(header, mobile):
    assert hint_mobile_header(header) == mobile
