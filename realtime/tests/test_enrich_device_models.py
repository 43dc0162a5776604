"""Android models that NowMetrix's own rules do not know get their class from Matomo Device
Detector's list (realtime/ingest/device_models.py). Real UAs from Matomo's labelled fixtures that
the rules alone classed wrong, and phones that must stay phones."""

import json
import sys
from pathlib import Path

import pytest

from realtime.ingest import device_models
from realtime.ingest.device_models import DeviceList, lowercased_pattern, without_lookarounds
from realtime.ingest.useragent import parse_user_agent

BASE_DIR = Path(__file__).resolve().parents[2]

# (UA, class): tablets that say "Mobile" or send no browser token at all, TV boxes and
# interactive panels without a TV token, and phones that drop "Mobile" (foldables, apps).
CASES = [
    ("Mozilla/5.0 (Linux; U; Android 4.2.2; it-it; M-MP9S4A3G Build/JDQ39) AppleWebKit/534.30 "
     "(KHTML, like Gecko) Version/4.0 Mobile Safari/534.30", "tablet"),
    ("Mozilla/5.0 (Linux; Android 6.0.1; PLT9999G) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/76.0.3809.132 Mobile Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Linux; Android 7.0; CONTIXO CX1065 3G) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/119.0.0.0 Mobile Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Linux; Android 6.0; E1C 3G) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/103.0.5060.53 Mobile Safari/537.36", "tablet"),
    ("Dalvik/1.6.0 (Linux; U; Android 4.1.2; MITO T330 Build/JZO54K)", "tablet"),
    ("Dalvik/1.6.0 (Linux; U; Android 4.2.2; AP-719 Build/JDQ39)", "tablet"),
    ("Dalvik/2.1.0 (Linux; U; Android 10; i96 Pro Build/QP1A.191105.004)", "desktop"),
    ("Mozilla/5.0 (Linux; Android 13; SABA_42SB6000F Build/TP1A.220905.004.A2; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/101.0.4951.61 Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Linux; Android 8.0.0; IFP8650-3 Build/OPR5.170623.014; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/61.0.3163.98 Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Linux; Android 11; 825X_Pro) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/95.0.4638.74 Mobile Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Linux; Android 15; CPH2671) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/135.0.0.0 Safari/537.36", "mobile"),
    ("Mozilla/5.0 (Linux; Android 4.4.2; ASUS_T00T) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/78.0.3904.96 Safari/537.36", "mobile"),
    ("Mozilla/5.0 (Linux; Android 11; Betacrux) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/103.0.0.0 Safari/537.36", "mobile"),
    # Phones the list knows as phones stay phones.
    ("Mozilla/5.0 (Linux; Android 5.1; TCL_P561U) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/76.0.3809.89 Mobile Safari/537.36", "mobile"),
    ("Mozilla/5.0 (Linux; Android 13; 23049PCD8G) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/112.0.5615.135 Mobile Safari/537.36 OPR/75.2.3978.72468", "mobile"),
]


@pytest.mark.parametrize("ua,expected", CASES)
def test_an_android_model_the_rules_do_not_know_takes_its_class_from_matomos_list(ua, expected):
    assert parse_user_agent(ua).device == expected


def test_an_unknown_android_model_falls_back_to_chromes_mobile_rule():
    mobile = "Mozilla/5.0 (Linux; Android 14; ZQXW-9931) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"
    tablet = mobile.replace(" Mobile Safari", " Safari")
    assert device_models.device_class(mobile.lower()) == ""
    assert parse_user_agent(mobile).device == "mobile"
    assert parse_user_agent(tablet).device == "tablet"


def test_the_first_brand_that_matches_decides_and_its_lookarounds_are_honoured():
    brands = DeviceList([
        ["Acme", "Acme(?!Browser)", "smartphone", []],
        ["Acme Browser maker", "AcmeBrowser", "tablet", []],
        ["Zeta", "Zeta", "tablet", [["Zeta Phone(?:[);/ ]|$)", "smartphone"], ["Zeta", "tablet"]]],
    ])
    assert brands.device_type("mozilla (linux; acme 5)") == "smartphone"
    assert brands.device_type("mozilla (linux; acmebrowser)") == "tablet"  # the lookahead held
    assert brands.device_type("zeta phone; acme 5") == "smartphone"  # Acme first in the list
    assert brands.device_type("(linux; zeta phone)") == "smartphone"  # the first model that matches
    assert brands.device_type("(linux; zeta pad)") == "tablet"
    assert brands.device_type("(linux; nobody)") == ""


def test_a_brand_matches_only_at_the_start_of_a_token():
    brands = DeviceList([["Tab", "Tab7", "tablet", []]])
    assert brands.device_type("(linux; tab7 build/x)") == "tablet"
    assert brands.device_type("(linux; xtab7 build/x)") == ""


def test_lowercasing_a_pattern_keeps_its_escapes():
    assert lowercased_pattern(r"SM-T\d{3}\D[A-Z]\W\S\B") == r"sm-t\d{3}\D[a-z]\W\S\B"


def test_removing_lookarounds_leaves_a_pattern_that_matches_wherever_the_original_did():
    assert without_lookarounds(r"Nokia(?!Browser|Webview|; GT-I8750)|Lumia") == "Nokia|Lumia"
    assert without_lookarounds(r"(?<!Satellite |(?:ZTE) )a(?:101|110)") == "a(?:101|110)"
    assert without_lookarounds(r"x(?![)(\]])y\(?!z") == r"xy\(?!z"


def test_the_shipped_list_is_what_the_refresh_script_makes_of_the_pinned_device_detector():
    sys.path.insert(0, str(BASE_DIR))
    try:
        from bench import refresh_matomo_devices
    finally:
        sys.path.remove(str(BASE_DIR))
    made = refresh_matomo_devices.convert(refresh_matomo_devices.installed_list().read_text(encoding="utf-8"))
    assert json.loads(device_models.DATA.read_text(encoding="utf-8")) == made


def test_a_brand_with_a_variable_width_lookbehind_matches_as_in_device_detector():
    # As Acer's regex starts: Python's `re` refuses lookbehinds of several widths.
    brands = DeviceList([["Acme", "(?<!Satellite |ZTE BLADE )A101(?:[);/ ]|$)", "tablet", []]])
    assert brands.device_type("(linux; android 4.0; a101 build/x)") == "tablet"
    assert brands.device_type("(linux; android 4.0; satellite a101 build/x)") == ""
