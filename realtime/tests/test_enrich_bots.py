"""Bot detection: site monitors, synthetic checkers and AI agents are bots; handsets, text
browsers and browser builds whose names look like bots are not. Real User-Agents throughout."""

import pytest

from realtime.ingest.useragent import parse_user_agent

CHROME_TAIL = "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

BOTS = [
    # Synthetic monitoring: these run the page and would send real hits.
    f"Mozilla/5.0 (X11; Linux x86_64) {CHROME_TAIL} DatadogSynthetics",
    "Datadog/Synthetics",
    f"Mozilla/5.0 (X11; Linux x86_64) {CHROME_TAIL} NewRelicSynthetics/1.0",
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {CHROME_TAIL} RuxitSynthetic/1.0 v3283331297382284845 "
    "t6205049014081304889 ath1fb31b7a altpriv cvcv=2 smf=0",
    f"Mozilla/5.0 (X11; Linux x86_64) {CHROME_TAIL} Checkly/1.0 (https://www.checklyhq.com)",
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {CHROME_TAIL} ThousandEyes-Dragonfly-x1",
    f"Mozilla/5.0 (X11; Linux x86_64) {CHROME_TAIL} GTmetrix",
    f"Mozilla/5.0 (Linux; Android 11; moto g power (2022)) {CHROME_TAIL} Google Search Console",
    "Google-Ads-Conversions",
    "Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0; Catchpoint) like Gecko",
    "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
    "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "Blackbox Exporter/0.24.0",
    # AI agents and crawlers named in issue 17.
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; +Claude-User@anthropic.com)",
    "anthropic-ai",
    "cohere-ai",
    "Google-Extended",
    f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {CHROME_TAIL}; Manus-User/1.0",
    f"Mozilla/5.0 (X11; Linux x86_64) {CHROME_TAIL}; Devin/1.0; +devin.ai",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
    "+https://perplexity.ai/perplexitybot)",
    # Search crawlers, from CrawlerDetect's list and ua-parser's.
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "SeznamBot/4.0 (+http://napoveda.seznam.cz/seznambot-intro/)",
    # Headless browsers, libraries and tools with no browser in them.
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
    "Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Grafana/11.1.0",
    "Prometheus/2.40.5",
    "Hello World",
    "",
]

BROWSERS = [
    # Logicom phones named "M bot" / "ID bot", and other handsets whose names are on crawler lists.
    "Mozilla/5.0 (Linux; Android 7.0; M bot 54) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.96 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 7.0; ID bot 53+ Build/NRD90M) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/55.0.2883.91 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 7.0; C Bot Tab 70) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.108 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; Spider 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 8.1.0; CUBOT_X19) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
    # Lynx (through libwww) and other text browsers.
    "Lynx/2.8.8pre.3 libwww-FM/2.14 SSL-MM/1.4.1 OpenSSL/1.0.1e",
    "amaya/9.51 libwww/5.4.0",
    # An Internet Explorer 11 build with a "Banca Caboto" token ("Cabot" is on crawler lists).
    "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; Banca Caboto s.p.a.; rv:11.0) like Gecko",
    # Everyday browsers.
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {CHROME_TAIL}",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 "
    "YaBrowser/24.10.2.93.00 SA/3",
    "Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18",
    "Nokia2720a-2/2.0 (09.85) Profile/MIDP-2.1 Configuration/CLDC-1.1",
]


@pytest.mark.parametrize("ua", BOTS)
def test_bot_detection_flags_monitors_agents_crawlers_and_scripts_as_bots(ua):
    assert parse_user_agent(ua).is_bot is True


@pytest.mark.parametrize("ua", BROWSERS)
def test_bot_detection_does_not_flag_handsets_and_browsers_named_like_bots(ua):
    assert parse_user_agent(ua).is_bot is False


def test_a_touch_hint_never_turns_a_bot_into_a_visitor():
    ua = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
          "HeadlessChrome/131.0.0.0 Safari/537.36")
    agent = parse_user_agent(ua, touch_mac=True)
    assert agent.is_bot is True
    assert agent.device == "desktop"
