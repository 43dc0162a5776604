"""The long tail of referrers (issue 17): engines, networks, fediverse instances, national
domains, AI assistants and Android apps, and UTM tags over a social referrer (issue 12)."""

import pytest

from realtime.ingest.sources import Source, classify_source, search_keyword

NO_OWN = frozenset()

CASES = [
    # Fediverse: the large instances by name, the rest by rule.
    ("https://fosstodon.org/", "social", "Mastodon"),
    ("https://hachyderm.io/", "social", "Mastodon"),
    ("https://mastodon.online/", "social", "Mastodon"),
    ("https://infosec.exchange/", "social", "Mastodon"),
    ("https://mastodon.example.org/", "social", "Mastodon"),
    ("https://mstdn.ca/", "social", "Mastodon"),
    ("https://toot.cafe/", "social", "Mastodon"),
    # National domains.
    ("https://www.pinterest.co.uk/", "social", "Pinterest"),
    ("https://pinterest.ca/", "social", "Pinterest"),
    ("https://www.pinterest.com.au/", "social", "Pinterest"),
    ("https://www.pinterest.es/", "social", "Pinterest"),
    ("https://www.pinterest.jp/", "social", "Pinterest"),
    ("https://yandex.com.tr/", "search", "Yandex"),
    ("https://yandex.kz/", "search", "Yandex"),
    ("https://www.google.com.vn/", "search", "Google Search"),
    # Engines.
    ("https://search.seznam.cz/?q=praha", "search", "Seznam"),
    ("https://www.sogou.com/web?query=x", "search", "Sogou"),
    ("https://coccoc.com/search?query=x", "search", "Cốc Cốc"),
    ("https://www.mojeek.com/search?q=x", "search", "Mojeek"),
    ("https://swisscows.com/en/web?query=x", "search", "Swisscows"),
    ("https://you.com/", "search", "You.com"),
    ("https://presearch.com/search?q=x", "search", "Presearch"),
    ("https://www.ecosia.org/", "search", "Ecosia"),
    # Networks.
    ("https://discord.gg/abc", "social", "Discord"),
    ("https://www.bilibili.com/", "social", "Bilibili"),
    ("https://www.douyin.com/", "social", "TikTok"),
    ("https://mp.weixin.qq.com/s/abc", "social", "WeChat"),
    # AI assistants: medium "search", as ChatGPT and Perplexity already are.
    ("https://chat.deepseek.com/", "search", "DeepSeek"),
    ("https://grok.com/", "search", "Grok"),
    ("https://www.meta.ai/", "search", "Meta AI"),
    ("https://duck.ai/", "search", "Duck.ai"),
    ("https://chat.mistral.ai/", "search", "Le Chat"),
    ("https://notebooklm.google.com/", "search", "NotebookLM"),
    # Android apps.
    ("android-app://com.google.android.youtube/", "social", "YouTube"),
    ("android-app://com.zhiliaoapp.musically/", "social", "TikTok"),
    ("android-app://com.pinterest/", "social", "Pinterest"),
    ("android-app://com.openai.chatgpt/", "search", "ChatGPT"),
    ("android-app://com.facebook.orca/", "social", "Facebook Messenger"),
    ("android-app://com.discord/", "social", "Discord"),
    ("android-app://org.joinmastodon.android/", "social", "Mastodon"),
    # From Ghost's maintained list (referer-parser's 2016 list lacks it).
    ("https://ok.ru/", "social", "Odnoklassniki"),
    # From Matomo's list, which fills what the others miss, with its country placeholders.
    ("https://search.avira.com/web?q=x", "search", "Avira SafeSearch"),
    ("https://www.entireweb.com/", "search", "Entireweb"),
    ("https://stract.com/search?q=x", "search", "Stract"),
    ("https://de.wow.com/", "search", "Google Search"),  # "{}.wow.com", powered by Google
    ("https://lycos.de/", "search", "Lycos"),  # "lycos.{}"
    ("https://www.zapmetasearch.com.br/", "search", "ZapMeta"),  # "www.zapmetasearch.{}"
    ("https://dribbble.com/shots/1", "social", "Dribbble"),
    ("https://www.last.fm/", "social", "Last.fm"),
    ("https://huya.com/", "social", "Huya"),
    ("https://chat.qwen.ai/", "search", "Qwen"),
    # Search portals by their home page, and their communities.
    ("https://www.naver.com/", "search", "Naver"),
    ("https://blog.naver.com/someone/223", "social", "Naver Blog"),
    ("https://m.cafe.naver.com/club", "social", "Naver Cafe"),
    ("https://www.daum.net/", "search", "Daum"),
    ("https://www.rambler.ru/", "search", "Rambler"),
    ("https://so.360.cn/", "search", "360 Search"),
    ("https://www.excite.com/", "search", "Excite"),
    # The lists NowMetrix ships before Matomo's keep their word on hosts they name.
    ("https://www.facebook.com/", "social", "Facebook"),
]


@pytest.mark.parametrize(("referrer", "medium", "source"), CASES)
def test_source_enrichment_names_the_long_tail_of_engines_networks_and_assistants(referrer, medium, source):
    classified = classify_source(referrer, {}, NO_OWN)
    assert (classified.medium, classified.source) == (medium, source)


@pytest.mark.parametrize("referrer", [
    "https://docs.google.com/document/d/1",  # a Google product that is not search
    "https://translate.google.com/",  # Matomo calls it search; NowMetrix's own table does not
    "https://google.example.de/",  # a brand label not followed by a country code
    "https://random.social/",
    "https://www.example.co.uk/",
])
def test_the_rules_leave_other_hosts_as_referrals(referrer):
    assert classify_source(referrer, {}, NO_OWN).medium == "referral"


def test_a_utm_source_with_a_social_referrer_keeps_its_source_and_takes_the_social_medium():
    hit = classify_source("https://www.facebook.com/", {"utm_source": "push", "utm_campaign": "c1"}, NO_OWN)
    assert hit == Source("social", "push", "c1")


def test_a_utm_medium_wins_over_the_referrers_medium():
    hit = classify_source("https://www.facebook.com/", {"utm_source": "push", "utm_medium": "cpc"}, NO_OWN)
    assert hit == Source("cpc", "push", "")


def test_a_utm_source_from_an_unlisted_site_stays_a_referral():
    hit = classify_source("https://blog.example.org/post", {"utm_source": "push"}, NO_OWN)
    assert hit == Source("referral", "push", "")


def test_a_utm_source_on_internal_navigation_is_not_given_a_medium_by_the_own_host():
    own = frozenset({"news.example.ch"})
    hit = classify_source("https://news.example.ch/a", {"utm_source": "push"}, own)
    assert hit == Source("referral", "push", "")


def test_search_terms_still_come_from_referer_parsers_parameters():
    assert search_keyword("https://www.bing.com/search?q=nowmetrix") == "nowmetrix"
    assert search_keyword("https://search.seznam.cz/?q=praha") == "praha"
