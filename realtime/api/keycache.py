"""Per-process memory of recently verified API keys: their grant (account and trackers).

A key is remembered when the DRF path verified it against the database. Two uses:
- the ASGI fast path serves a key verified within GRANT_TTL_SECS without Django;
- while the database cannot be reached, DRF accepts a key verified within OUTAGE_GRANT_TTL_SECS
  (realtime.api.authentication) instead of answering 503.
Revocation still takes effect at once: revoking marks the key in Redis for longer than either
lifetime, and both uses check that mark."""

from __future__ import annotations

from dataclasses import dataclass

from realtime import keys
from realtime.live_state import TrackerConfig

GRANT_TTL_SECS = 60
OUTAGE_GRANT_TTL_SECS = 240
assert OUTAGE_GRANT_TTL_SECS < keys.REVOKED_MARK_TTL_SECS, "a revoked key must never outlive its mark"
_grants: dict[str, "KeyGrant"] = {}
_MAX = 10_000


@dataclass(frozen=True)
class KeyGrant:
    """What a verified key may read: the one answer to "does this key reach this tracker"."""

    hashed_secret: str
    account_id: int
    all_trackers: bool
    trackers: frozenset[str]
    verified_at: float

    @property
    def bucket(self) -> str:
        return rate_bucket(self.hashed_secret)

    def may_read(self, config: TrackerConfig) -> bool:
        return config.account_id == self.account_id and (self.all_trackers or config.public_id in self.trackers)


def rate_bucket(hashed_secret: str) -> str:
    """The key's rate-limit bucket: by its hash, not its row id (ids are reused after a rollback)."""
    return f"key:{hashed_secret[:16]}"


def remember(api_key, now: float) -> KeyGrant:
    """The grant of a key just verified against the database, read afresh (one query for a key
    limited to some trackers) and remembered for the fast path and for outages."""
    trackers = frozenset() if api_key.all_trackers else frozenset(api_key.trackers.values_list("public_id", flat=True))
    if len(_grants) >= _MAX and api_key.hashed_secret not in _grants:
        _grants.clear()  # bounded: at worst every key is verified against the database once more
    grant = KeyGrant(api_key.hashed_secret, api_key.account_id, api_key.all_trackers, trackers, now)
    _grants[api_key.hashed_secret] = grant
    return grant


def recall(hashed_secret: str, now: float, max_age_secs: float = GRANT_TTL_SECS) -> KeyGrant | None:
    grant = _grants.get(hashed_secret)
    if grant is not None and now - grant.verified_at < max_age_secs:
        return grant
    return None


def forget(hashed_secret: str) -> None:
    _grants.pop(hashed_secret, None)


def clear() -> None:
    _grants.clear()
