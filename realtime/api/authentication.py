"""Authentication of the key-authenticated `/v1` views: the database first, a remembered grant
while the database is away."""

from __future__ import annotations

from trackers import keys
from trackers.api_errors import DATABASE_UNAVAILABLE, InvalidToken, ServiceUnavailable
from trackers.authentication import ApiKeyAuthentication

from realtime import live_state
from realtime.api import keycache, microcache


class GrantUser:
    """The request's user for a key: `grant` is what it may read (realtime.api.keycache)."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, grant: keycache.KeyGrant):
        self.grant = grant


class GrantAuthentication(ApiKeyAuthentication):
    """`ApiKeyAuthentication`, answering with the key's grant.

    When the database cannot be reached, a key this process verified within
    OUTAGE_GRANT_TTL_SECS keeps working from its remembered grant, unless Redis marks it revoked
    (revocation stays immediate); any other well-formed key answers 503 `service_unavailable`,
    since it can be neither accepted nor refused."""

    def authenticate(self, request):
        try:
            result = super().authenticate(request)
        except DATABASE_UNAVAILABLE:
            return self._remembered(request)
        if result is None:
            return None
        _, api_key = result
        grant = keycache.remember(api_key, microcache.clock())
        return GrantUser(grant), grant

    def _remembered(self, request):
        # The header was a well-formed Bearer key, or super() would not have queried the database.
        secret = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")[2].strip()
        hashed = keys.api_key_hash(secret)
        grant = keycache.recall(hashed, microcache.clock(), keycache.OUTAGE_GRANT_TTL_SECS)
        if grant is None:
            raise ServiceUnavailable()
        if live_state.api_key_is_revoked(hashed):
            keycache.forget(hashed)
            raise InvalidToken()
        return GrantUser(grant), grant
