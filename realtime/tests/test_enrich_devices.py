"""Device class as shared/spec/semantics.md defines it: Android tablets that say "Mobile" are
tablets, TVs/boxes/consoles/cars are desktop, iPadOS is a tablet when the snippet saw a touch
screen under a Mac UA. Real User-Agents from Matomo's Device Detector fixtures and browsers."""

import pytest

from realtime.ingest.useragent import parse_user_agent

MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15"
)

CASES = [
    # Android tablets that send "Mobile".
    ("Mozilla/5.0 (Linux; Android 10; Lenovo TB-X605L) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Mobile Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Linux; Android 9; TB-X605L Build/PKQ1.190319.001) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/96.0.4664.45 Mobile Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Linux; Android 11; TAB-8US2) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Mobile Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Linux; U; Android 4.0.4; fr-fr; MID7032 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) "
     "Version/4.0 Mobile Safari/534.30", "tablet"),
    ("Mozilla/5.0 (Linux; Android 10; BZI-W20 Build/HUAWEIBZI-W20; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/97.0.4692.98 Mobile Safari/537.36", "tablet"),
    ("Mozilla/5.0 (Linux; Android 13; Redmi Pad SE) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/125.0.0.0 Mobile Safari/537.36", "tablet"),
    # Android tablets following Chrome's rule (no "Mobile"), and Galaxy Tabs.
    ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "tablet"),
    # Phones: including a Galaxy Fold unfolded (no "Mobile") and an app's Dalvik UA.
    ("Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Mobile Safari/537.36", "mobile"),
    ("Mozilla/5.0 (Linux; Android 14; SM-F946B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "mobile"),
    ("Dalvik/2.1.0 (Linux; U; Android 10; motorola one action Build/QSBS30.121-12-4)", "mobile"),
    # TVs, boxes, consoles, cars: desktop.
    ("Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7233; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/130.0.6723.102 Mobile Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Linux; Android 7.1.1; 55UC50GU) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/77.0.3865.92 Mobile Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Linux; Android 12; MagentaTV One (2. Generation) Build/STTC.220803.001; wv) "
     "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/132.0.6834.166 Mobile Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Linux; Android 11; Vekta LD-32SF4850BS Build/RP1A.200720.011; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/83.0.4103.120 YaBrowser/24.1.2.342 (lite) Safari/537.36 TV", "desktop"),
    ("Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.88 "
     "Safari/537.36 WebAppManager", "desktop"),
    ("Mozilla/5.0 (Linux; Android 9; X96Max_Plus_Q2) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.6261.39 YaBrowser/24.4.7.39.01 Safari/537.36", "desktop"),
    ("Mozilla/5.0 (Linux; Android 11; SHIELD Android TV Build/RQ1A.210105.003; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.200 Mobile Safari/537.36", "desktop"),
    ("Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/13.0 Safari/605.1.15", "desktop"),
    ("Mozilla/5.0 (Linux; Android 9; porsche rear seat entertainment) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/87.0.4280.141 Safari/537.36", "desktop"),
    # Without the hint, iPadOS's Mac UA is a Mac.
    (MAC_SAFARI, "desktop"),
]


@pytest.mark.parametrize(("ua", "device"), CASES)
def test_device_classes_follow_the_semantics(ua, device):
    assert parse_user_agent(ua).device == device


def test_a_mac_ua_with_the_snippets_touch_hint_is_an_ipad():
    agent = parse_user_agent(MAC_SAFARI, touch_mac=True)
    assert (agent.device, agent.os, agent.brand, agent.model) == ("tablet", "iOS", "Apple", "iPad")
    assert parse_user_agent(MAC_SAFARI).device == "desktop"  # the cached Mac is untouched


@pytest.mark.parametrize("ua", [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1",
])
def test_the_touch_hint_is_trusted_only_to_turn_a_mac_into_an_ipad(ua):
    assert parse_user_agent(ua, touch_mac=True) == parse_user_agent(ua)
