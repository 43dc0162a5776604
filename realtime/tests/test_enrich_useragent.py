"""User-Agent enrichment: device class, browser, OS, handset and bot flag from real UA strings."""

import pytest

from realtime.ingest.useragent import MAX_UA_CHARS, Agent, clear_cache, parse_user_agent

WIN_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)

# (ua, device, browser, browser_version, os, os_version, brand, model, is_bot)
CASES = [
    # Desktop browsers.
    (WIN_CHROME, "desktop", "Chrome", "124.0.0.0", "Windows", "10", "", "", False),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
     "desktop", "Firefox", "125.0", "Windows", "10", "", "", False),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
     "desktop", "Edge", "124.0.2478.80", "Windows", "10", "", "", False),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0",
     "desktop", "Opera", "109.0.0", "Windows", "10", "", "", False),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4.1 Safari/605.1.15",
     "desktop", "Safari", "17.4.1", "Mac OS X", "10.15.7", "Apple", "Mac", False),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36",
     "desktop", "Chrome", "124.0.0.0", "Mac OS X", "10.15.7", "Apple", "Mac", False),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
     "desktop", "Firefox", "125.0", "Mac OS X", "14.4", "Apple", "Mac", False),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
     "desktop", "Chrome", "124.0.0.0", "Linux", "", "", "", False),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
     "desktop", "Firefox", "125.0", "Ubuntu", "", "", "", False),
    # iPhone.
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4.1 Mobile/15E148 Safari/604.1",
     "mobile", "Mobile Safari", "17.4.1", "iOS", "17.4.1", "Apple", "iPhone", False),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
     "mobile", "Chrome Mobile iOS", "124.0.6367.88", "iOS", "17.4", "Apple", "iPhone", False),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/15E148 Instagram 327.0.0.36.89",
     "mobile", "Instagram", "327.0.0", "iOS", "17.4", "Apple", "iPhone", False),
    # Android phones: Samsung, Pixel, Xiaomi (named and by model code), reduced UA, Firefox.
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.6367.82 Mobile Safari/537.36",
     "mobile", "Chrome Mobile", "124.0.6367.82", "Android", "14", "Samsung", "SM-S918B", False),
    ("Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
     "mobile", "Samsung Internet", "24.0", "Android", "13", "Samsung", "SM-A536B", False),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8 Pro) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.6367.82 Mobile Safari/537.36",
     "mobile", "Chrome Mobile", "124.0.6367.82", "Android", "14", "Google", "Pixel 8 Pro", False),
    ("Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/123.0.6312.118 Mobile Safari/537.36",
     "mobile", "Chrome Mobile", "123.0.6312.118", "Android", "12", "Xiaomi", "Redmi Note 11", False),
    ("Mozilla/5.0 (Linux; Android 13; 2201116SG) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.6367.82 Mobile Safari/537.36",
     "mobile", "Chrome Mobile", "124.0.6367.82", "Android", "13", "Xiaomi", "2201116SG", False),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Mobile Safari/537.36",
     "mobile", "Chrome Mobile", "124.0.0.0", "Android", "10", "", "", False),
    ("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
     "mobile", "Firefox Mobile", "125.0", "Android", "14", "", "", False),
    ("Mozilla/5.0 (Linux; Android 13; CUBOT P80) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Mobile Safari/537.36",
     "mobile", "Chrome Mobile", "124.0.0.0", "Android", "13", "Cubot", "P80", False),
    ("Mozilla/5.0 (Linux; Android 14; SM-S911B Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 "
     "[FB_IAB/FB4A;FBAV/460.0.0.48.109;]",
     "mobile", "Facebook", "460.0.0", "Android", "14", "Samsung", "SM-S911B", False),
    # Tablets: iPad, Galaxy Tab, Pixel Tablet, Fire (Silk), Kindle e-reader, Firefox on a tablet.
    ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4 Mobile/15E148 Safari/604.1",
     "tablet", "Mobile Safari", "17.4", "iOS", "17.4", "Apple", "iPad", False),
    ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.6367.82 Safari/537.36",
     "tablet", "Chrome", "124.0.6367.82", "Android", "13", "Samsung", "SM-X710", False),
    ("Mozilla/5.0 (Linux; Android 11; SM-T505) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36",
     "tablet", "Chrome", "124.0.0.0", "Android", "11", "Samsung", "SM-T505", False),
    ("Mozilla/5.0 (Linux; Android 13; Pixel Tablet) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36",
     "tablet", "Chrome", "124.0.0.0", "Android", "13", "Google", "Pixel Tablet", False),
    ("Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Silk/124.3.2 like Chrome/124.0.6367.118 Safari/537.36",
     "tablet", "Amazon Silk", "124.3.2", "Android", "9", "Amazon", "Kindle", False),
    ("Mozilla/5.0 (X11; U; Linux armv7l like Android; en-us) AppleWebKit/531.2+ (KHTML, like Gecko) "
     "Version/5.0 Safari/531.2+ Kindle/3.0+",
     "tablet", "Kindle", "3.0", "Kindle", "3.0", "Amazon", "Kindle 3.0", False),
    ("Mozilla/5.0 (Android 13; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0",
     "tablet", "Firefox Mobile", "125.0", "Android", "13", "", "", False),
    # Android TV omits "Mobile" but is no tablet.
    ("Mozilla/5.0 (Linux; Android 9; BRAVIA 4K GB ATV3) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36",
     "desktop", "Chrome", "124.0.0.0", "Android", "9", "", "BRAVIA 4K GB ATV3", False),
    # Bots and scripts.
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     "desktop", "Googlebot", "2.1", "", "", "", "", True),
    ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     "mobile", "Googlebot", "2.1", "Android", "6.0.1", "", "", True),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
     "desktop", "bingbot", "2.0", "", "", "", "", True),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
     "desktop", "GPTBot", "1.0", "", "", "", "", True),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
     "desktop", "FacebookBot", "1.1", "", "", "", "", True),
    ("curl/8.5.0", "desktop", "curl", "8.5.0", "", "", "", "", True),
    ("python-requests/2.31.0", "desktop", "Python Requests", "2.31", "", "", "", "", True),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "HeadlessChrome/124.0.6367.60 Safari/537.36",
     "desktop", "HeadlessChrome", "124.0.6367", "Linux", "", "", "", True),
    ("", "desktop", "", "", "", "", "", "", True),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}-{c[2] or 'empty'}" for i, c in enumerate(CASES)])
def test_the_user_agent_parser_parses_real_user_agents(case):
    ua, *expected = case
    assert parse_user_agent(ua) == Agent(*expected)


@pytest.mark.parametrize("ua", [
    "Wget/1.21.4",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "Java/17.0.2",
    "axios/1.6.8",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko; "
    "compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Chrome-Lighthouse",
    "   ",
])
def test_the_user_agent_parser_flags_more_bots_and_scripts(ua):
    assert parse_user_agent(ua).is_bot


@pytest.mark.parametrize("ua", ["\ud800 " + WIN_CHROME, "a\x00b", "\u202e" * 600, "Mozilla/5.0 \xff\xfe"])
def test_the_user_agent_parser_never_raises_on_odd_strings(ua):
    assert isinstance(parse_user_agent(ua), Agent)


def test_the_user_agent_parser_treats_none_as_an_empty_user_agent():
    assert parse_user_agent(None) == parse_user_agent("")


def test_the_user_agent_parser_truncates_long_input_before_parsing_and_caching():
    long_ua = WIN_CHROME + " " + "x" * 10_000
    clear_cache()
    agent = parse_user_agent(long_ua)
    assert agent.browser == "Chrome" and not agent.is_bot
    assert parse_user_agent(long_ua[:MAX_UA_CHARS]) is agent  # one cache entry, keyed by the truncated string


def test_the_user_agent_parser_caches_results():
    assert parse_user_agent(WIN_CHROME) is parse_user_agent(WIN_CHROME)


def test_agent_is_immutable():
    agent = parse_user_agent(WIN_CHROME)
    with pytest.raises(AttributeError):
        agent.device = "mobile"  # type: ignore[misc]
