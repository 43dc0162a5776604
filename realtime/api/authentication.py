"""DRF authentication of the API: `Authorization: Bearer nm_...` keys, whose grant
(`trackers.grants.Grant`) becomes `request.auth`; and the web admin's session for `/api/me`.

While the database cannot be reached, a key this process verified recently keeps working from
its remembered grant (`realtime.api.keycache`)."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, SessionAuthentication

from trackers import keys
from trackers.grants import Grant, grant_authenticate

from realtime import live_state
from realtime.api import keycache, microcache
from realtime.api.errors import DATABASE_UNAVAILABLE, InvalidToken, ServiceUnavailable


class KeyUser:
    """The request's user when it authenticated with an API key: no Django user behind it;
    `grant` is what the key may read."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, grant: Grant):
        self.grant = grant


class ApiKeyAuthentication(BaseAuthentication):
    """Bearer API keys. Returns None for other schemes (so session auth may apply);
    fails with `invalid_token` for malformed, unknown or revoked keys."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            raise InvalidToken()
        grant = grant_authenticate(secret.strip())
        if grant is None:
            raise InvalidToken()
        return KeyUser(grant), grant

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class AppSessionAuthentication(SessionAuthentication):
    """The web admin's session, for endpoints that accept it (`/api/me`)."""

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def authenticate_grant(request) -> None:
    """Run the view's authentication (ApiKeyAuthentication), leaving the key's grant in
    `request.auth`, and remember the grant for the fast path and for outages.

    When the database cannot be reached, a key this process verified within
    OUTAGE_GRANT_TTL_SECS keeps working from its remembered grant, unless Redis marks it revoked
    (revocation stays immediate); any other well-formed key answers 503 `service_unavailable`,
    since it can be neither accepted nor refused. Malformed keys never reach the database and
    stay 401."""
    try:
        request.user  # noqa: B018 - DRF authenticates on first access
    except DATABASE_UNAVAILABLE:
        grant = _remembered(request)
        request.user, request.auth = KeyUser(grant), grant
        return
    if request.auth is not None:
        keycache.remember(request.auth, microcache.clock())


def _remembered(request) -> Grant:
    secret = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")[2].strip()
    hashed = keys.api_key_hash(secret)
    grant = keycache.recall(hashed, microcache.clock(), keycache.OUTAGE_GRANT_TTL_SECS)
    if grant is None:
        raise ServiceUnavailable()
    if live_state.api_key_is_revoked(hashed):
        keycache.forget(hashed)
        raise InvalidToken()
    return grant
