"""Per-process memory of recently verified API keys: their grant (`trackers.grants.Grant`).

A key is remembered when the DRF path verified it against the database. Two uses:
- the ASGI fast path serves a key verified within GRANT_TTL_SECS without Django;
- while the database cannot be reached, DRF accepts a key verified within OUTAGE_GRANT_TTL_SECS
  (realtime.api.authentication) instead of answering 503.
Revocation still takes effect at once: revoking marks the key in Redis for longer than either
lifetime, and both uses check that mark."""

from __future__ import annotations

from realtime import keys
from trackers.grants import Grant

GRANT_TTL_SECS = 60
OUTAGE_GRANT_TTL_SECS = 240
assert OUTAGE_GRANT_TTL_SECS < keys.REVOKED_MARK_TTL_SECS, "a revoked key must never outlive its mark"
_grants: dict[str, tuple[Grant, float]] = {}  # hashed secret: (grant, when verified)
_MAX = 10_000


def rate_bucket(grant: Grant) -> str:
    """The key's rate-limit bucket: by its hash, not its row id (ids are reused after a rollback)."""
    return f"key:{grant.hashed_secret[:16]}"


def remember(grant: Grant, now: float) -> Grant:
    """Remember a grant just verified against the database, for the fast path and for outages."""
    if len(_grants) >= _MAX and grant.hashed_secret not in _grants:
        _grants.clear()  # bounded: at worst every key is verified against the database once more
    _grants[grant.hashed_secret] = (grant, now)
    return grant


def recall(hashed_secret: str, now: float, max_age_secs: float = GRANT_TTL_SECS) -> Grant | None:
    remembered = _grants.get(hashed_secret)
    if remembered is not None and now - remembered[1] < max_age_secs:
        return remembered[0]
    return None


def forget(hashed_secret: str) -> None:
    _grants.pop(hashed_secret, None)


def clear() -> None:
    _grants.clear()
