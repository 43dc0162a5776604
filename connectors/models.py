"""Connectors: a rule on one tracker's live articles, the channels it posts to, and the record
of what it decided (qualifications, posts) and sent (deliveries)."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from connectors import crypto
from trackers.models import Account, Tracker


def connector_public_id_generate() -> str:
    return "con_" + secrets.token_urlsafe(9)


class Connector(models.Model):
    """A rule: which live articles qualify, and how often the connector may post."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="connectors")
    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="connectors")
    public_id = models.CharField(max_length=32, unique=True, default=connector_public_id_generate, editable=False)
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    threshold = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Live readers an article needs (realtime_users, at or above).")
    min_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(1440)],
        help_text="Minutes the article must stay at or above the threshold before it is posted.")
    pageviews_floor = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pageviews today the article needs too (optional).")
    stop_words = models.JSONField(default=list, blank=True,
                                  help_text="Words or phrases; a title or URL containing one never qualifies.")
    hourly_limit = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Posts at most this many times in any 60 minutes.")
    cooldown_hours = models.PositiveSmallIntegerField(
        default=12, validators=[MaxValueValidator(720)],
        help_text="Posts the same article at most once in this many hours.")
    evaluated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["is_active", "tracker"], name="connector_active_tracker")]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class ChannelKind(models.TextChoices):
    WEBHOOK = "webhook", "Webhook"
    SLACK = "slack", "Slack"
    TELEGRAM = "telegram", "Telegram"
    BLUESKY = "bluesky", "Bluesky"


class Channel(models.Model):
    """Where a connector posts. Credentials (webhook secret, Slack webhook URL, Telegram token and
    chat, Bluesky handle and app password) are one Fernet token in `credentials_encrypted`;
    `hint` is what the admin shows instead (never a secret)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="connector_channels")
    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    # The webhook's URL, the Telegram Bot API base or the Bluesky PDS (empty: the setting's default).
    base_url = models.URLField(max_length=500, blank=True)
    credentials_encrypted = models.TextField(blank=True)
    hint = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hint}"

    def credentials(self) -> dict[str, str]:
        """The decrypted credentials; raises `crypto.CredentialsUnreadable` after a key change."""
        return crypto.decrypt(self.credentials_encrypted)


class Qualification(models.Model):
    """An article's uninterrupted stretch at or above the threshold. At most one is open per
    connector and article (a partial unique index), so two evaluations cannot open two."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="qualifications")
    article_key = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connector", "article_key"], condition=Q(ended_at__isnull=True),
                                               name="qualification_one_open")]


class Post(models.Model):
    """A decision to post one article (or a test message) to every channel of the connector.
    One per qualification (unique): the idempotency key of rule, article and qualification."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="posts")
    qualification = models.OneToOneField(Qualification, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="post")
    article_key = models.CharField(max_length=64)
    article = models.JSONField()
    is_test = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["connector", "created_at"], name="post_connector_created")]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Retrying"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One post to one channel, with its attempts' outcome (the delivery log)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="deliveries")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(Channel, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    channel_kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["post", "channel"], name="delivery_one_per_channel")]
