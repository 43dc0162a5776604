"""Writes: connectors and their channels (created, changed, deleted) and the test message."""

from __future__ import annotations

import datetime
import time

from django.db import transaction

from connectors import credentials, crypto, messages, rules
from connectors.models import Channel, Connector, Delivery, DeliveryStatus, Post
from trackers.models import Account, Tracker

RULE_FIELDS = ("name", "is_active", "threshold", "min_minutes", "pageviews_floor", "stop_words", "hourly_limit",
               "cooldown_hours")


def utc(ts: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)


@transaction.atomic
def connector_create(*, account: Account, tracker: Tracker, channels: list[dict], **rule) -> Connector:
    """A connector with its channels. Precondition: `tracker` belongs to `account` (checked), and
    each channel dict has `kind`, `url` and `given` (see `credentials.channel_clean`)."""
    if tracker.account_id != account.pk:
        raise ValueError("the tracker belongs to another account")
    rule["stop_words"] = rules.normalize_stop_words(rule.get("stop_words") or [])
    connector = Connector(account=account, tracker=tracker, **rule)
    connector.full_clean()
    connector.save()
    for channel in channels:
        channel_add(connector=connector, **channel)
    return connector


def connector_update(*, connector: Connector, **rule) -> Connector:
    if "stop_words" in rule:
        rule["stop_words"] = rules.normalize_stop_words(rule["stop_words"] or [])
    for name in RULE_FIELDS:
        if name in rule:
            setattr(connector, name, rule[name])
    connector.full_clean()
    connector.save()
    return connector


def connector_delete(*, connector: Connector) -> None:
    connector.delete()


def channel_add(*, connector: Connector, kind: str, url: str = "", given: dict[str, str]) -> Channel:
    base_url, creds, hint = credentials.channel_clean(kind, url=url, given=given)
    return Channel.objects.create(account=connector.account, connector=connector, kind=kind, base_url=base_url,
                                  credentials_encrypted=crypto.encrypt(creds), hint=hint)


def channel_update(*, channel: Channel, url: str = "", given: dict[str, str]) -> Channel:
    """New URL and credentials; blank secret fields keep the stored ones."""
    base_url, creds, hint = credentials.channel_clean(channel.kind, url=url, given=given, stored=channel.credentials())
    channel.base_url, channel.hint = base_url, hint
    channel.credentials_encrypted = crypto.encrypt(creds)
    channel.save(update_fields=["base_url", "hint", "credentials_encrypted"])
    return channel


def channel_delete(*, channel: Channel) -> None:
    channel.delete()


def channels_rotate_key() -> int:
    """Re-encrypt every channel's credentials with the first configured key (key rotation)."""
    count = 0
    for channel in Channel.objects.only("id", "credentials_encrypted").iterator():
        if channel.credentials_encrypted:
            channel.credentials_encrypted = crypto.rotate(channel.credentials_encrypted)
            channel.save(update_fields=["credentials_encrypted"])
            count += 1
    return count


def post_create(*, connector: Connector, article: rules.Article, now: float, qualification=None,
                is_test: bool = False) -> Post:
    """A post and one pending delivery per channel, enqueued once the transaction commits (a
    rolled-back evaluation sends nothing). Call inside a transaction."""
    from connectors import tasks  # tasks import the delivery service; imported here to keep the module graph flat

    post = Post.objects.create(account=connector.account, connector=connector, qualification=qualification,
                               article_key=rules.article_key(article), article=dict(article), is_test=is_test,
                               created_at=utc(now))
    Delivery.objects.bulk_create([
        Delivery(account=connector.account, connector=connector, post=post, channel=channel, channel_kind=channel.kind,
                 status=DeliveryStatus.PENDING, created_at=utc(now), updated_at=utc(now))
        for channel in connector.channels.all()
    ])
    ids = list(Delivery.objects.filter(post=post).order_by("pk").values_list("pk", flat=True))
    transaction.on_commit(lambda: [tasks.deliver.delay(pk) for pk in ids])
    return post


@transaction.atomic
def connector_send_test(*, connector: Connector, article: rules.Article | None = None, now: float | None = None) -> Post:
    """One message marked as a test to every channel, outside the rule and its limits."""
    return post_create(connector=connector, article=article or messages.TEST_ARTICLE,
                       now=time.time() if now is None else now, is_test=True)
