"""API-key grants: what a presented secret may read.

`grant_authenticate` is the one place a key is looked up by its secret; `Grant.may_read` is the
one rule for "does this key reach this tracker". The /v1 API (DRF views, the ASGI fast path, the
SSE stream) and the GA-compatible APIs all go through them.

It lives in `trackers`, which owns API keys, because every API builds on `trackers` and
`trackers` never imports `realtime`: the grant is domain, not transport (no DRF, no Redis)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from django.utils import timezone

from trackers import keys
from trackers.models import ApiKey

# last_used_at is a coarse "is this key still in use" signal: writing it on every request
# would turn each read into a database write, so it is refreshed at most this often.
LAST_USED_WRITE_INTERVAL = timedelta(minutes=5)


class Readable(Protocol):
    """Anything naming a tracker and its account: a `Tracker` row or its published config."""

    account_id: int
    public_id: str


@dataclass(frozen=True)
class Grant:
    """A verified key's access: its account, scope, and all the account's trackers or a list."""

    key_id: int
    hashed_secret: str
    account_id: int
    scope: str
    all_trackers: bool
    trackers: frozenset[str]  # public IDs; empty when all_trackers

    def may_read(self, tracker: Readable) -> bool:
        """Pure: the same answer for a `Tracker` row and for its configuration in Redis."""
        return tracker.account_id == self.account_id and (self.all_trackers or tracker.public_id in self.trackers)


def grant_of(api_key: ApiKey) -> Grant:
    """The grant of a key row, its trackers read afresh (one query for a key limited to some)."""
    trackers = frozenset() if api_key.all_trackers else frozenset(
        api_key.trackers.filter(account_id=api_key.account_id).values_list("public_id", flat=True))
    return Grant(api_key.pk, api_key.hashed_secret, api_key.account_id, api_key.scope, api_key.all_trackers, trackers)


def grant_authenticate(secret: str) -> Grant | None:
    """The grant of the live key with this secret, or None (malformed, unknown or revoked).

    One indexed equality on the SHA-256: no character-by-character comparison of secrets
    happens in Python, so no timing leak. Refreshes the key's last_used_at (at most every
    LAST_USED_WRITE_INTERVAL)."""
    if not keys.api_key_is_well_formed(secret):
        return None
    api_key = ApiKey.objects.filter(hashed_secret=keys.api_key_hash(secret), revoked_at__isnull=True).first()
    if api_key is None:
        return None
    _touch(api_key)
    return grant_of(api_key)


def _touch(api_key: ApiKey) -> None:
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_WRITE_INTERVAL:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
