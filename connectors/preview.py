"""The preview (a read): which of the tracker's live articles match the rule now, what the
connector would do with each, and the exact message each channel would get. Sends nothing and
writes nothing."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from django.conf import settings

from connectors import messages, rules, selectors
from connectors.models import Channel, ChannelKind, Connector, Post
from connectors.services import utc


@dataclass
class ChannelMessage:
    kind: str
    hint: str
    request: str  # method and URL, secrets masked
    body: str  # pretty JSON


@dataclass
class ArticleRow:
    article: rules.Article
    matches: bool
    state: str
    messages: list[ChannelMessage] = field(default_factory=list)


def _pretty(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def channel_message(channel: Channel, article: rules.Article, connector: Connector, *, test: bool, now: float
                    ) -> ChannelMessage:
    """One channel's request for one article, as it would be sent (credentials masked)."""
    sent_at = utc(now).isoformat().replace("+00:00", "Z")
    if channel.kind == ChannelKind.WEBHOOK:
        rule: messages.Rule = {"id": connector.public_id, "name": connector.name, "threshold": connector.threshold,
                               "min_minutes": connector.min_minutes, "pageviews_floor": connector.pageviews_floor}
        tracker: messages.TrackerRef = {"id": connector.tracker.public_id, "name": connector.tracker.name}
        return ChannelMessage(channel.kind, channel.hint, f"POST {channel.base_url}  (signed: X-NowMetrix-Signature)",
                              _pretty(messages.webhook_body(article, rule, tracker, test=test, sent_at=sent_at)))
    if channel.kind == ChannelKind.SLACK:
        return ChannelMessage(channel.kind, channel.hint, f"POST {channel.hint}",
                              _pretty(messages.slack_body(article, test=test)))
    if channel.kind == ChannelKind.TELEGRAM:
        base = channel.base_url or settings.NOWMETRIX_CONNECTOR_TELEGRAM_API
        return ChannelMessage(channel.kind, channel.hint, f"POST {base.rstrip('/')}/bot<token>/sendMessage",
                              _pretty({"chat_id": channel.hint, **messages.telegram_body(article, test=test)}))
    base = channel.base_url or settings.NOWMETRIX_CONNECTOR_BLUESKY_PDS
    record = messages.bluesky_record(article, test=test, created_at=sent_at)
    return ChannelMessage(channel.kind, channel.hint, f"POST {base.rstrip('/')}/xrpc/com.atproto.repo.createRecord",
                          _pretty({"repo": "<your DID>", "collection": "app.bsky.feed.post", "record": record}))


def _miss_reason(article: rules.Article, connector: Connector) -> str:
    if article["realtime_users"] < connector.threshold:
        return "below the threshold"
    if connector.pageviews_floor is not None and article["pageviews_today"] < connector.pageviews_floor:
        return "below the pageviews floor"
    return f"stop word “{rules.stop_word_found(article, connector.stop_words)}”"


def connector_preview(*, connector: Connector, now: float | None = None) -> tuple[list[ArticleRow] | None, list[Channel]]:
    """Rows for the tracker's live articles (None when its snapshot is stale), and the channels."""
    now = time.time() if now is None else now
    channels = list(selectors.channel_list(account=connector.account, connector=connector))
    articles = selectors.live_articles(connector.tracker.public_id, now)
    if articles is None:
        return None, channels
    open_ones = selectors.open_qualifications(connector=connector)
    real = Post.objects.filter(account=connector.account, connector=connector, is_test=False)
    used = real.filter(created_at__gt=utc(now - 3600)).count()
    recent = {p.article_key: p.created_at for p in real.filter(created_at__gt=utc(now - connector.cooldown_hours * 3600))}
    rows = []
    for article in articles:
        if not rules.meets_rule(article, threshold=connector.threshold, pageviews_floor=connector.pageviews_floor,
                                stop_words=connector.stop_words):
            rows.append(ArticleRow(article, False, _miss_reason(article, connector)))
            continue
        key = rules.article_key(article)
        qualification = open_ones.get(key)
        since = (utc(now) - qualification.started_at).total_seconds() if qualification else 0.0
        needed = (connector.min_minutes or 0) * 60
        if key in recent:
            state = f"posted {recent[key]:%Y-%m-%d %H:%M} UTC; in cool-down"
        elif since < needed:
            state = f"qualifying for {int(since // 60)} of {connector.min_minutes} minutes"
        elif used >= connector.hourly_limit:
            state = "due, but the hourly limit is reached"
        else:
            state = "would be posted at the next evaluation"
        rows.append(ArticleRow(article, True, state,
                               [channel_message(c, article, connector, test=False, now=now) for c in channels]))
    return rows, channels
