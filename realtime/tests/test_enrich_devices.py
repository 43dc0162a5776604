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
    # The model slot found behind an app's package name, after a three-part locale, before "(V1.1)".
    ("SurfsharkAndroid/2.7.7.5 com.surfshark.vpnclient.android/release/playStore/207070500 Dalvik/2.1.0 "
     "(Linux; U; Android 11; SM-T290 Build/RP1A.200720.012) Version/4.0 Chrome/43.0.2357.65 Mobile Safari/537.36",
     "tablet"),
    ("Mozilla/5.0 (Linux; U; Android 12; zh-Hans-CN; BVE-W10 Build/HUAWEIBVE-W10) AppleWebKit/537.36 (KHTML, "
     "like Gecko) Version/4.0 Chrome/123.0.6312.80 Quark/7.14.8.883 Mobile Safari/537.36", "tablet"),
    ("AndroidDownloadManager/4.1.1 (Linux; U; Android 4.1.1; POV_TAB-P1325(V1.1) Build/JRO03H)", "tablet"),
    ("UCWEB/2.0 (Linux; U; Adr 4.2; en-US; CCITA715G) U2/1.0.0 UCBrowser/9.2.3.324 U2/1.0.0 Mobile", "tablet"),
    ("[FBAN/FB4A;FBAV/83.0.0.20.71;FBBV/32723423;FBDM/{density=2.0,width=1200,height=1920};FBLC/de_DE;"
     "FBCR/;FBMF/samsung;FBBD/samsung;FBPN/com.facebook.katana;FBDV/SM-T580;FBSV/7.0;FBOP/1;FBCA/armeabi-v7a:;]",
     "tablet"),
    # E-readers are tablets.
    ("Mozilla/5.0 (Linux; Android 8.0.0; ru_RU) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/73.0.3683.105 "
     "Mobile Safari/537.36 PocketBook/970 (screen 825x1200; FW U970.6.7.1921; LCP)", "tablet"),
    ("Mozilla/5.0 (Linux; U; Android 2.0; en-us;) AppleWebKit/538.1 (KHTML, like Gecko) Version/4.0 "
     "Mobile Safari/538.1 (Kobo Touch 0390/4.45.23697)", "tablet"),
    # Phones whose model names look like TV models; Windows, Palm and i-mode handsets.
    ("Mozilla/5.0 (Linux; Android 8.1.0; ZC554KL) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/98.0.4758.87 Mobile Safari/537.36", "mobile"),
    ("Mozilla/5.0 (Linux; Android 6.0; 5044K Build/MRA58K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/55.0.2883.91 Mobile Safari/537.36", "mobile"),
    ("Mozilla/5.0 (Windows NT 10.0; ARM; Lumia 950 XL) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/46.0.2486.0 Safari/537.36 Edge/14.14295", "mobile"),
    ("Mozilla/5.0 (webOS/1.4.5; U; ru-RU) AppleWebKit/532.2 (KHTML, like Gecko) Version/1.0 Safari/532.2 Pixi/1.0",
     "mobile"),
    ("DoCoMo/2.0 MST_v_SH2101V", "mobile"),
    # A Mac app through Apple's network stack, which ua-parser reads as iOS; a Fire TV app.
    ("Podcasts/1410.53 CFNetwork/1111 Darwin/19.0.0 (x86_64)", "desktop"),
    ("Safari5533.22.3 CFNetwork/438.16 Darwin/9.8.0 (Power%20Macintosh) (PowerBook6%2C7)", "desktop"),
    ("Gibbon/2020.2.2.0/2020.2.2.0: Netflix/2020.2.2.0 (DEVTYPE=NFANDROID2-PRV-FIRETVSTICK2018; CERTVER=0)",
     "desktop"),
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
