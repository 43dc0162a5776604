"""The grant of a key-authenticated `/v1` request: from the database, or while the database is
away, from what this process remembers of the key."""

from __future__ import annotations

from trackers import keys
from trackers.api_errors import DATABASE_UNAVAILABLE, InvalidToken, ServiceUnavailable

from realtime import live_state
from realtime.api import keycache, microcache


class GrantUser:
    """The request's user while the database is away: `grant` is what the key may read."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, grant: keycache.KeyGrant):
        self.grant = grant


def authenticate_grant(request) -> None:
    """Run the view's authentication (ApiKeyAuthentication), then leave the key's grant in
    `request.auth`.

    When the database cannot be reached, a key this process verified within
    OUTAGE_GRANT_TTL_SECS keeps working from its remembered grant, unless Redis marks it revoked
    (revocation stays immediate); any other well-formed key answers 503 `service_unavailable`,
    since it can be neither accepted nor refused. Malformed keys never reach the database and
    stay 401."""
    try:
        request.user  # noqa: B018 - DRF authenticates on first access
    except DATABASE_UNAVAILABLE:
        grant = _remembered(request)
        request.user, request.auth = GrantUser(grant), grant
        return
    if request.auth is not None:
        request.auth = keycache.remember(request.auth, microcache.clock())


def _remembered(request) -> keycache.KeyGrant:
    secret = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")[2].strip()
    hashed = keys.api_key_hash(secret)
    grant = keycache.recall(hashed, microcache.clock(), keycache.OUTAGE_GRANT_TTL_SECS)
    if grant is None:
        raise ServiceUnavailable()
    if live_state.api_key_is_revoked(hashed):
        keycache.forget(hashed)
        raise InvalidToken()
    return grant
