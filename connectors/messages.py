"""What each channel gets for one article: built once here, for sending and for the preview.
Pure functions; credentials (chat ids, tokens) are added by the senders, never shown here.

Titles and URLs come from visitors' pages, so each format escapes them its own way: Slack's
mrkdwn (`&`, `<`, `>`), Telegram's HTML parse mode (`html.escape`), JSON for the rest.
"""

from __future__ import annotations

import html
from typing import TypedDict

from connectors.rules import Article

TEST_MARK = "[NowMetrix test]"
BLUESKY_MAX_GRAPHEMES = 300  # app.bsky.feed.post `text` limit (we count code points, a safe bound)
WEBHOOK_EVENT = "article.qualified"
WEBHOOK_TEST_EVENT = "connector.test"


class Rule(TypedDict):
    id: str
    name: str
    threshold: int
    min_minutes: int | None
    pageviews_floor: int | None


class TrackerRef(TypedDict):
    id: str
    name: str


def _readers(n: int) -> str:
    return f"{n} live reader" + ("" if n == 1 else "s")


def headline(article: Article, test: bool) -> str:
    """Plain text: `Title (N live readers)`, prefixed by the test mark for test messages."""
    text = f"{article['title']} ({_readers(article['realtime_users'])})"
    return f"{TEST_MARK} {text}" if test else text


def webhook_body(article: Article, rule: Rule, tracker: TrackerRef, *, test: bool, sent_at: str) -> dict:
    """The generic webhook's JSON body (documented in the README)."""
    return {
        "event": WEBHOOK_TEST_EVENT if test else WEBHOOK_EVENT,
        "test": test,
        "sent_at": sent_at,
        "article": {
            "url": article["url"],
            "host": article["host"],
            "link": article["link"],
            "title": article["title"],
            "og_image": article["og_image"],
            "realtime_users": article["realtime_users"],
            "pageviews_today": article["pageviews_today"],
            "top_source": article["top_source"],
        },
        "rule": dict(rule),
        "tracker": dict(tracker),
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_body(article: Article, *, test: bool) -> dict:
    """An incoming-webhook message: `text` (notifications, fallback) and blocks with the link,
    title, live-reader count and the article's image."""
    title = _slack_escape(article["title"]).replace("|", "¦")  # `|` would end the link's label
    mark = f"{TEST_MARK} " if test else ""
    line = f"{mark}<{_slack_escape(article['link'])}|{title}>"
    section: dict = {"type": "section", "text": {"type": "mrkdwn", "text": f"{line}\n*{_readers(article['realtime_users'])}* now"}}
    if article["og_image"].startswith(("https://", "http://")):
        section["accessory"] = {"type": "image", "image_url": article["og_image"], "alt_text": article["title"][:2000] or "image"}
    return {"text": _slack_escape(headline(article, test)), "blocks": [section]}


def telegram_body(article: Article, *, test: bool) -> dict:
    """`sendMessage` parameters except `chat_id`: HTML parse mode, every visitor string escaped."""
    mark = f"{html.escape(TEST_MARK)} " if test else ""
    text = (f'{mark}<a href="{html.escape(article["link"], quote=True)}">{html.escape(article["title"])}</a>\n'
            f"<b>{_readers(article['realtime_users'])}</b> now")
    return {"text": text, "parse_mode": "HTML"}


def bluesky_record(article: Article, *, test: bool, created_at: str) -> dict:
    """An `app.bsky.feed.post` record with the link as an external embed card."""
    text = headline(article, test)
    if len(text) > BLUESKY_MAX_GRAPHEMES:
        text = text[: BLUESKY_MAX_GRAPHEMES - 1] + "…"
    return {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": created_at,
        "embed": {
            "$type": "app.bsky.embed.external",
            "external": {"uri": article["link"], "title": article["title"][:300],
                         "description": f"{_readers(article['realtime_users'])} on {article['host']}"},
        },
    }


TEST_ARTICLE: Article = {
    "url": "/nowmetrix-test", "host": "example.com", "link": "https://example.com/nowmetrix-test",
    "title": "Test message from NowMetrix", "og_image": "", "realtime_users": 0, "pageviews_today": 0,
    "top_source": "",
}
