"""Tenancy: accounts, their members, trackers (sites) and API keys."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from trackers import keys


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone.")


class Account(models.Model):
    """A tenant: owns trackers, members and API keys. Two tenants may share a name (two
    newspapers called "Daily Planet"); the slug, used in URLs, is unique (with a suffix)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"


class Membership(models.Model):
    """A user in an account. Editors open only the trackers listed in `trackers`."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    trackers = models.ManyToManyField("Tracker", blank=True, related_name="editor_memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "user"], name="membership_unique_user")]
        ordering = ["user__email"]

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class Tracker(models.Model):
    """A tracked site. `public_id` is what the snippet carries and the API's `site`;
    the primary key doubles as the Google Analytics compatible view ID."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="trackers")
    public_id = models.CharField(max_length=32, unique=True, default=keys.tracker_public_id_generate, editable=False)
    name = models.CharField(max_length=100)
    hosts = models.JSONField(default=list, help_text="Allowed host names, lower case.")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    live_window_minutes = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    honour_dnt = models.BooleanField(default=True, help_text="Drop hits from browsers asking not to be tracked.")
    public_counter = models.BooleanField(default=False, help_text="Allow the public per-page active counter.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"

    @property
    def view_id(self) -> int:
        return self.pk

    @property
    def primary_host(self) -> str:
        return self.hosts[0] if self.hosts else ""


class Scope(models.TextChoices):
    READ_ONLY = "read", "Read-only"
    FULL = "full", "Full"


class ApiKey(models.Model):
    """An account's API key. Only the SHA-256 of the secret is stored (unique index: the
    lookup by presented value is one indexed equality), plus a visible prefix."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    hashed_secret = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=4, choices=Scope.choices, default=Scope.READ_ONLY)
    all_trackers = models.BooleanField(default=True)
    trackers = models.ManyToManyField(Tracker, blank=True, related_name="api_keys")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked})"

    @property
    def masked(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
