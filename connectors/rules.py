"""A connector's rule applied to the articles of a live snapshot. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
import re
from typing import TypedDict


class Article(TypedDict):
    """One of the snapshot's `top_pages`, as connectors post it (`url` is the path, as in
    `/v1/realtime`; `link` the full address)."""

    url: str
    host: str
    link: str
    title: str
    og_image: str
    realtime_users: int
    pageviews_today: int
    top_source: str


def article_from_page(page: dict) -> Article:
    sources = page.get("sources") or []
    return {
        "url": page["url"],
        "host": page["host"],
        "link": f"https://{page['host']}{page['url']}",
        "title": page["title"],
        "og_image": page.get("og_image") or "",
        "realtime_users": int(page["realtime_users"]),
        "pageviews_today": int(page["pageviews_today"]),
        "top_source": sources[0]["source"] if sources else "",
    }


def article_key(article: Article) -> str:
    """A fixed-length key for one article of one tracker: its host and path."""
    return hashlib.sha256(f"{article['host']}{article['url']}".encode()).hexdigest()


def normalize_stop_words(words: list[str]) -> list[str]:
    """Trimmed, whitespace-collapsed, lower-cased, de-duplicated, in their first order."""
    seen: dict[str, None] = {}
    for word in words:
        clean = " ".join(word.split()).lower()
        if clean:
            seen.setdefault(clean, None)
    return list(seen)


def _stop_pattern(word: str) -> re.Pattern:
    # A whole word or phrase, not a substring: "war" stops "War declared" but not "award".
    # Inside a phrase, any run of spaces, hyphens, slashes or underscores matches a space, so
    # "breaking news" also stops the URL /breaking-news/.
    parts = [re.escape(p) for p in word.split(" ")]
    return re.compile(r"(?<!\w)" + r"[\s\-_/+.]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def stop_word_found(article: Article, stop_words: list[str]) -> str | None:
    """The first stop word found in the article's title or URL (case-insensitive), or None."""
    haystacks = (article["title"], article["host"] + article["url"])
    for word in stop_words:
        pattern = _stop_pattern(word)
        if any(pattern.search(text) for text in haystacks):
            return word
    return None


def meets_rule(article: Article, *, threshold: int, pageviews_floor: int | None, stop_words: list[str]) -> bool:
    """The instantaneous part of the rule (the minimum duration is tracked by the evaluation)."""
    if article["realtime_users"] < threshold:
        return False
    if pageviews_floor is not None and article["pageviews_today"] < pageviews_floor:
        return False
    return stop_word_found(article, stop_words) is None
