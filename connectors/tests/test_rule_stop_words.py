"""Stop words keep articles out, matched case-insensitively as words or phrases in titles and URLs."""

import pytest

from connectors import rules
from connectors.tests.conftest import T0, make_connector


def _article(title: str, url: str = "/story") -> rules.Article:
    return rules.article_from_page({"url": url, "host": "planet.example", "title": title, "og_image": "",
                                    "realtime_users": 5, "pageviews_today": 5, "sources": []})


@pytest.mark.parametrize("title,url,words,found", [
    ("Crash on the A1", "/story", ["crash"], "crash"),
    ("CRASH on the A1", "/story", ["Crash"], "crash"),
    ("A quiet day", "/crash-report", ["crash"], "crash"),
    ("Breaking News: the vote", "/story", ["breaking news"], "breaking news"),
    ("The vote", "/breaking-news/vote", ["breaking news"], "breaking news"),
    ("An award for the team", "/story", ["war"], None),
    ("Breaking: the news", "/story", ["breaking news"], None),
    ("Sponsored: a fine watch", "/story", ["advert", "sponsored"], "sponsored"),
])
def test_the_stop_word_rule_finds_stop_words_as_words_or_phrases_in_any_case(title, url, words, found):
    assert rules.stop_word_found(_article(title, url), rules.normalize_stop_words(words)) == found


def test_stop_words_are_stored_trimmed_lower_cased_and_once():
    assert rules.normalize_stop_words(["  Breaking   News ", "breaking news", "", "Obituary"]) == ["breaking news", "obituary"]


def test_a_connector_never_posts_an_article_whose_title_or_url_holds_a_stop_word(newsroom, tenant, receiver):
    make_connector(tenant, receiver.origin, threshold=2, stop_words=["Obituary", "sponsored content"])
    newsroom.readers("/obituary/jane", 5, title="Jane Doe, 1940-2030")
    newsroom.readers("/watches", 4, title="Sponsored Content: watches")
    newsroom.readers("/vote", 3, title="The vote")
    assert newsroom.evaluate(T0) == 1
    (hook,) = receiver.got("/hook")
    assert hook["json"]["article"]["url"] == "/vote"
