"""Device class from a lowercased User-Agent: desktop, mobile or tablet (shared/spec/semantics.md).

Phones, phablets, feature phones and wearables are mobile; TVs, set-top boxes, consoles, car
head units, laptops and anything unknown are desktop. Android is the hard case: Chrome's rule
("Mobile" in the UA on phones, not on tablets) is followed by browsers, but tablets of small
makers often say "Mobile" and TV boxes never do, so the model name in the UA decides first.
The rules were written against Matomo's labelled Device Detector fixtures
(bench/bench_enrich_accuracy.py prints how well they do).

All patterns are case-sensitive on the lowercased UA (several times faster than IGNORECASE).
"""

from __future__ import annotations

import re

from realtime.ingest import device_models

DESKTOP, MOBILE, TABLET = "desktop", "mobile", "tablet"
REDUCED_UA_MODEL = "k"  # Chrome's reduced UA: "(Linux; Android 10; K)"

# The Android model slot: "(Linux; [U; ]Android 13; [en-us; ]MODEL[ Build/...])" (also Dalvik's,
# and UC Browser's "Adr 4.2.2"). The version follows a space, which skips an app's package name
# ("com.surfshark.vpnclient.android/..."); the locale may have three parts ("zh-Hans-CN"), stray
# spaces ("en-us ;") or come last ("Android 8; ru_RU)"). Starting on a literal lets re scan for
# "andr" fast: a pattern anchored on what precedes the token costs several times more.
_LOCALE = r"[a-z]{2,3}(?:[-_][a-z]{2,4}){1,2}"
_SLOT = r"(?: [^;)]*)?; ?(?:" + _LOCALE + r" ?; )?([^;)]*)"
_ANDROID_MODEL_RE = re.compile(r"andr[o0]id" + _SLOT)
_UC_MODEL_RE = re.compile(r"\badr" + _SLOT)
_LOCALE_RE = re.compile(_LOCALE + "$")
# What ends a model name: " Build/JDQ39", "/JDQ39" (Lenovo's "B8000-F/JDQ39"), "(V1.1)".
_MODEL_END_RE = re.compile(r" build/|/| ?\(")
# Facebook's Android apps name the device in their own fields: "[FBAN/FB4A;...;FBDV/SM-T580;...".
_FB_ANDROID_RE = re.compile(r"fban/(?:fb4a|orcaandroid).*?;fbdv/([^;]+)")

# Whole-UA markers of big screens: TVs, sticks and boxes, consoles, cars.
_TV_RE = re.compile(
    r"smart-?tv|hbbtv|bravia|googletv|google tv|android tv|crkey|; aft[a-z]|aftmm|xbox|playstation"
    r"|nintendo|wv-atv|web0s|netcast|viera|; stb|firetv"
)
# A bare "TV" token ("(...; TV)", "... Safari/537.36 TV"), checked only when "tv" occurs: an
# alternative that starts with a character class would cost every UA a slow scan.
_TV_TOKEN_RE = re.compile(r"[ (;]tv(?:[ ;)]|$)|tizen[^;]*tv")
# Model names of big screens: "55UC50GU"/"32LES902" (screen size first), "*-LED32*", "*Shell*"
# (Russian TV platforms), boxes, sticks, car units, consoles, laptops running Android apps.
_BIG_MODEL_RE = re.compile(
    r"^[2-9]\d(?:[a-z]{1,4}\d|[a-z]{2})|led|uhd|\btv|tv\b|tv[-_ ]|atv|box|stick|shell|chromecast|mitv|yndx"
    r"|formuler|magenta|4k|smart_tv|dvb|stb|car|polestar|porsche|switch|ouya|shield|retroid|^rg\d{3}"
    r"|chromebook|pixelbook|inspiron|latitude|elitebook|travelmate|aspire|satellite|vostro|lifebook"
    r"|^nexus player|matador|quad-?core t3|octa-?core t8|^yt\d{4}|^x96|^h96|iconbit|polarline|^nuc\d|ultraocta"
    r"|^polar|^ugoos|^vontar|^nexon|^zidoo|^tdtv|^vmp\d|^pendoo|^hty|^xdh|^mpc-|^neko|^selenga|^topdevice"
    r"|^invin|^movix|^dreamstar|^amigo7|^tx\d|^mecool|^beelink"
)
# Model names of tablets, which may say "Mobile" all the same ("Lenovo TB-X605L", "MID7032",
# "Beeline Tab 2", "Xiaomi Pad 6", Huawei's "-W09" Wi-Fi models, "Galaxy Tab" codes SM-T/P/X).
_TABLET_MODEL_RE = re.compile(
    r"tab|pad|^mid|[ _-]mid|^tb[-\d]| tb-|^sm-[txp]\d|-w\d\d|^ags\d|^bah\d|^kob\d|^dby\d|^bzi-|^mrx-"
    r"|^kfm|^kf[a-z]{2}wi|nook|^pmt\d|^citi|^optima|^iplay|^mfc\d|^readboy|^ccit|^(?:lenovo )?pb\d?-"
    r"|^tz\d{3}|^mt\d{4}|^ct\d{3}|^bq(?:ru)?-[178]\d{2,3}|^yt-x|^tb\d"
    # Xiaomi pads: YYMM + "RP" project codes (2307BRPDCC, 23043RP34G)
    r"|^2307brp|^2304[03]rp|^2[34]0\d{2}rp[a-z0-9]{2,3}[cgil]$"
)
# Whole-UA tablet markers beyond Android models.
_TABLET_RE = re.compile(
    r"ipad|tablet(?! pc)|kindle|silk/|playbook|galaxy tab|nexus (?:7|9|10)\b|pixel (?:c|tablet)\b"
    r"|mediapad|matepad|xoom|/apad\b|pocketbook|kobo "
)
# Phones beyond iOS and Android: feature phones' browsers and platforms, watches, iPhone apps.
_MOBILE_RE = re.compile(
    r"mobi|iphone|ipod|windows phone|blackberry|bb10|kaios|opera mini|watchos|midp|wap|up\.browser|netfront"
    r"|brew|obigo|teleca|jig browser|symbian|series ?60|sonyericsson|nokia|dv\(iph"
)
# Handsets that the tokens above miss: Windows phones in desktop mode, Palm, Maemo, i-mode and
# Siemens phones. Searched only when ua-parser saw a device, as every alternative costs desktops.
_HANDSET_RE = re.compile(r"lumia|wpdesktop|palm(?:source|os|-)|webos/|maemo|^docomo/|^sie-|screen-\d+x\d+")
_NO_DEVICE_FAMILIES = frozenset({"", "Other", "Mac"})
# Apple's network stack names the Mac it runs on: "(x86_64)", "(Power%20Macintosh)", "MacBookPro".
_MAC_APP_RE = re.compile(r"\(x86_64\)|macintosh|powerbook|powermac|macbook|imac|macmini|macpro")
_MOBILE_OSES = frozenset({"iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Firefox OS"})
# Galaxy Folds unfolded drop "Mobile" but are phones (China's "W" editions too); so do ZTE's and
# Asus's phone-tablets.
# Alcatel's four-digit phones (4014K, 5044K) and Asus ZenFones (ZC554KL) look like TV models.
_PHONE_MODEL_RE = re.compile(
    r"^(?:samsung[- ])?sm-[fnjgas]\d|^sm-w(?:20|[79]0\d\d)|padfone|^[4-6]\d{3}[a-z]{1,2}$|^z[a-z]\d{3}k[lm]$"
)


def android_model(low: str) -> str:
    """The lowercased model name in an Android UA, '' if there is none."""
    match = (_ANDROID_MODEL_RE.search(low) or ("adr " in low and _UC_MODEL_RE.search(low))
             or ("fbdv/" in low and _FB_ANDROID_RE.search(low)))
    if not match:
        return ""
    model = match[1]
    if "/" in model or "(" in model:
        model = _MODEL_END_RE.split(model, 1)[0]
    model = model.strip()
    return "" if len(model) <= 10 and _LOCALE_RE.match(model) else model


def android_class_from_hints(model: str, mobile: str) -> str:
    """Mobile or tablet from Chromium's client hints (a lowercased model, "1"/"0"), '' if they
    tell neither. The model decides first, as in `device_class`: a tablet may say mobile."""
    if model:
        if _PHONE_MODEL_RE.search(model):
            return MOBILE
        if _TABLET_MODEL_RE.search(model):
            return TABLET
    return {"1": MOBILE, "0": TABLET}.get(mobile, "")


def device_class(low: str, os_family: str, device_family: str) -> str:
    """The device class of a lowercased UA, given ua-parser's OS and device families."""
    if _TV_RE.search(low) or "tv" in low and _TV_TOKEN_RE.search(low):
        return DESKTOP  # before the tablet rules: Fire TV says "Silk", TVs omit "Mobile"
    if device_family == "Kindle" or _TABLET_RE.search(low):
        return TABLET
    if os_family == "Android" or "android" in low or "fban/fb4a" in low:
        model = android_model(low)
        if model:
            if _PHONE_MODEL_RE.search(model):
                return MOBILE
            if _TABLET_MODEL_RE.search(model):
                return TABLET
            if _BIG_MODEL_RE.search(model):
                return DESKTOP
            # The long tail of makers: Matomo's list of their models ("k" is Chrome's reduced
            # UA, which names no model: most Android traffic, skipped).
            if model != REDUCED_UA_MODEL and (listed := device_models.device_class(low)):
                return listed
        if "mobi" in low:
            return MOBILE
        # Chrome's rule holds for full browser UAs only: apps (Dalvik, okhttp-based) send no
        # "Mobile" whatever the device, and most Android devices are phones.
        return TABLET if "safari/" in low else MOBILE
    if "cfnetwork/" in low and _MAC_APP_RE.search(low):
        return DESKTOP  # a Mac app: ua-parser reads any "Darwin/" as iOS
    if os_family in _MOBILE_OSES or _MOBILE_RE.search(low):
        return MOBILE
    if device_family not in _NO_DEVICE_FAMILIES and _HANDSET_RE.search(low):
        return MOBILE
    return DESKTOP
