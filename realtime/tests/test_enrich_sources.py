"""Source enrichment: the spec's source-row classification of one hit's referrer and UTM tags."""

import pytest

from realtime.ingest.sources import DIRECT, MAX_PATH_CHARS, Source, classify_source, search_keyword

OWN = frozenset({"news.example.ch", "www.example.ch"})


def classify(referrer, **utm):
    return classify_source(referrer, utm, OWN)


@pytest.mark.parametrize("referrer, expected", [
    ("https://www.google.com/", Source("search", "Google Search", "google.com")),
    ("https://www.google.ch/", Source("search", "Google Search", "google.ch")),
    ("https://www.google.co.uk/search?q=x", Source("search", "Google Search", "google.co.uk")),
    ("https://www.bing.com/", Source("search", "Bing", "bing.com")),
    ("https://duckduckgo.com/", Source("search", "DuckDuckGo", "duckduckgo.com")),
    ("https://search.brave.com/search?q=x", Source("search", "Brave Search", "search.brave.com")),
    ("https://www.ecosia.org/", Source("search", "Ecosia", "ecosia.org")),
    ("android-app://com.google.android.googlequicksearchbox/https/www.google.com",
     Source("search", "Google Search", "com.google.android.googlequicksearchbox")),
    ("https://news.google.com/", Source("search", "Google News", "news.google.com")),
    ("https://chatgpt.com/", Source("search", "ChatGPT", "chatgpt.com")),
    ("https://chat.openai.com/", Source("search", "ChatGPT", "chat.openai.com")),
    ("https://www.perplexity.ai/", Source("search", "Perplexity", "perplexity.ai")),
])
def test_source_enrichment_names_search_engines_with_the_referring_host_as_child(referrer, expected):
    assert classify(referrer) == expected


@pytest.mark.parametrize("referrer, expected", [
    ("https://www.facebook.com/", Source("social", "Facebook", "facebook.com")),
    ("https://l.facebook.com/l.php?u=https%3A%2F%2Fnews.example.ch", Source("social", "Facebook", "l.facebook.com")),
    ("https://x.com/", Source("social", "X (Twitter)", "x.com")),
    ("https://t.co/AbC123", Source("social", "X (Twitter)", "t.co")),
    ("https://twitter.com/", Source("social", "X (Twitter)", "twitter.com")),
    ("https://bsky.app/profile/someone", Source("social", "Bluesky", "bsky.app")),
    ("https://www.threads.net/", Source("social", "Threads", "threads.net")),
    ("https://l.threads.net/?u=x", Source("social", "Threads", "l.threads.net")),
    ("https://www.tiktok.com/", Source("social", "TikTok", "tiktok.com")),
    ("https://www.linkedin.com/", Source("social", "LinkedIn", "linkedin.com")),
    ("https://lnkd.in/eXample", Source("social", "LinkedIn", "lnkd.in")),
    ("https://www.youtube.com/", Source("social", "YouTube", "youtube.com")),
    ("https://www.reddit.com/r/switzerland/", Source("social", "Reddit", "reddit.com")),
    ("android-app://com.linkedin.android/", Source("social", "LinkedIn", "com.linkedin.android")),
])
def test_source_enrichment_names_social_networks_with_the_referring_host_as_child(referrer, expected):
    assert classify(referrer) == expected


@pytest.mark.parametrize("referrer, expected", [
    ("https://mail.google.com/", Source("newsletter", "Gmail", "mail.google.com")),
    ("https://outlook.live.com/", Source("newsletter", "Outlook", "outlook.live.com")),
    ("https://outlook.office.com/mail/", Source("newsletter", "Outlook", "outlook.office.com")),
    ("https://mail.yahoo.com/", Source("newsletter", "Yahoo! Mail", "mail.yahoo.com")),
    ("https://mail.proton.me/", Source("newsletter", "Proton Mail", "mail.proton.me")),
    ("android-app://com.google.android.gm/", Source("newsletter", "Gmail", "com.google.android.gm")),
])
def test_source_enrichment_files_webmail_under_newsletter(referrer, expected):
    assert classify(referrer) == expected


def test_source_enrichment_files_newsletter_utm_under_newsletter_with_the_campaign_as_child():
    expected = Source("newsletter", "morning-briefing", "daily-edition")
    for medium in ("email", "Newsletter", "E-Mail"):
        assert classify("", utm_source="morning-briefing", utm_medium=medium, utm_campaign="daily-edition") == expected


def test_utm_wins_over_the_referrer():
    got = classify("https://www.google.com/", utm_source="morning-briefing", utm_medium="email")
    assert got == Source("newsletter", "morning-briefing", "")


def test_source_enrichment_keeps_other_utm_mediums_lowercased():
    got = classify("https://l.facebook.com/", utm_source="facebook", utm_medium="Paid_Social", utm_campaign="summer")
    assert got == Source("paid_social", "facebook", "summer")
    assert classify("", utm_medium="cpc") == Source("cpc", "(not set)", "")


def test_a_utm_source_alone_is_a_referral_unless_it_names_a_known_host():
    assert classify("", utm_source="partner-site", utm_campaign="spring") == Source("referral", "partner-site", "spring")
    # ChatGPT tags links "?utm_source=chatgpt.com": same row as its untagged referrals.
    assert classify("https://chatgpt.com/", utm_source="chatgpt.com") == Source("search", "ChatGPT", "chatgpt.com")


def test_a_utm_campaign_alone_does_not_override_the_referrer():
    assert classify("https://www.bing.com/", utm_campaign="x") == Source("search", "Bing", "bing.com")


def test_other_referrers_are_referrals_from_the_host_with_the_path_as_child():
    assert classify("https://www.heise.de/news/some-article.html?utm=x#top") == Source(
        "referral", "heise.de", "/news/some-article.html"
    )
    assert classify("https://blog.example.org") == Source("referral", "blog.example.org", "/")
    assert classify("http://localhost:8000/x") == Source("referral", "localhost", "/x")


def test_google_products_that_are_not_search_are_referrals():
    assert classify("https://docs.google.com/document/d/1") == Source("referral", "docs.google.com", "/document/d/1")
    assert classify("https://maps.google.com/") == Source("referral", "maps.google.com", "/")


def test_internal_navigation_returns_none():
    assert classify("https://www.example.ch/politics/") is None
    assert classify("https://example.ch/") is None  # www. ignored on both sides
    assert classify("https://news.example.ch/a?b=c") is None


def test_a_subdomain_is_internal_only_when_listed_or_wildcarded():
    assert classify("https://shop.example.ch/") == Source("referral", "shop.example.ch", "/")
    assert classify_source("https://shop.example.ch/", {}, ("*.example.ch",)) is None
    assert classify_source("https://example.ch/", {}, ("*.example.ch",)) is None


def test_own_hosts_may_carry_ports_schemes_and_case():
    assert classify_source("http://localhost:8000/a", {}, ["LOCALHOST:8000"]) is None
    assert classify_source("https://www.example.ch/", {}, ["https://Example.CH/"]) is None


def test_internal_navigation_with_utm_is_classified():
    got = classify("https://www.example.ch/", utm_source="morning-briefing", utm_medium="email", utm_campaign="d1")
    assert got == Source("newsletter", "morning-briefing", "d1")


@pytest.mark.parametrize("referrer", [
    None, "", "   ", "garbage", "about:blank", "file:///etc/passwd", "chrome-extension://abc/x.html",
    "javascript:alert(1)", "http://[::1", "https://", "https:///path", "https://exa mple.com/",
    "http://\u00e9xample.com/\u0000", "https://\ud800.com/", "https://" + "a" * 5000 + ".com/",
])
def test_garbage_referrers_count_as_direct(referrer):
    assert classify(referrer) == DIRECT


def test_no_referrer_and_no_utm_is_direct():
    assert classify("") == Source("(none)", "(direct)", "")
    assert classify_source(None, None, ()) == DIRECT


def test_source_enrichment_ignores_non_string_utm_values():
    assert classify_source("", {"utm_source": ["a", "b"], "utm_medium": None}, OWN) == DIRECT


def test_source_enrichment_truncates_long_inputs():
    got = classify("https://example.org/" + "p" * 5000, utm_campaign="x")
    assert got.medium == "referral" and len(got.child) == MAX_PATH_CHARS
    got = classify("", utm_source="s" * 5000, utm_medium="m" * 5000, utm_campaign="c" * 5000)
    assert got == Source("m" * 100, "s" * 100, "c" * 100)


def test_search_keyword_reads_the_engine_query_parameter():
    assert search_keyword("https://www.bing.com/search?q=zurich+weather&form=QBLH") == "zurich weather"
    assert search_keyword("https://duckduckgo.com/?q=nowmetrix") == "nowmetrix"
    assert search_keyword("https://yandex.ru/search/?text=%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82") == "привет"
    assert search_keyword("https://www.google.com/") == ""  # Google sends no terms: "(not provided)"
    assert search_keyword("https://www.heise.de/?q=x") == ""  # not a search engine
    assert search_keyword("garbage") == "" and search_keyword(None) == ""
