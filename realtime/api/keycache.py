"""Per-process memory of recently verified API keys, for the ASGI fast path.

A key is remembered for GRANT_TTL_SECS after the DRF path verified it against the database.
Revocation still takes effect at once: revoking marks the key in Redis, and the fast path
checks that mark in the same round trip as the rate limit."""

from __future__ import annotations

from dataclasses import dataclass

from realtime.live_state import TrackerConfig

GRANT_TTL_SECS = 60
_grants: dict[str, "KeyGrant"] = {}
_MAX = 10_000


@dataclass(frozen=True)
class KeyGrant:
    hashed_secret: str
    account_id: int
    all_trackers: bool
    trackers: frozenset[str]
    expires_at: float

    @property
    def bucket(self) -> str:
        return rate_bucket(self.hashed_secret)

    def may_read(self, config: TrackerConfig) -> bool:
        return config.account_id == self.account_id and (self.all_trackers or config.public_id in self.trackers)


def rate_bucket(hashed_secret: str) -> str:
    """The key's rate-limit bucket: by its hash, not its row id (ids are reused after a rollback)."""
    return f"key:{hashed_secret[:16]}"


def remember(api_key, now: float) -> None:
    if recall(api_key.hashed_secret, now) is not None:
        return
    trackers = frozenset() if api_key.all_trackers else frozenset(api_key.trackers.values_list("public_id", flat=True))
    if len(_grants) >= _MAX:
        _grants.clear()
    _grants[api_key.hashed_secret] = KeyGrant(api_key.hashed_secret, api_key.account_id, api_key.all_trackers,
                                              trackers, now + GRANT_TTL_SECS)


def recall(hashed_secret: str, now: float) -> KeyGrant | None:
    grant = _grants.get(hashed_secret)
    if grant is not None and grant.expires_at > now:
        return grant
    return None


def forget(hashed_secret: str) -> None:
    _grants.pop(hashed_secret, None)


def clear() -> None:
    _grants.clear()
