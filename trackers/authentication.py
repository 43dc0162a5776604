"""DRF authentication by `Authorization: Bearer nm_...` API keys."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, SessionAuthentication

from trackers import keys
from trackers.api_errors import InvalidToken
from trackers.models import ApiKey

# last_used_at is a coarse "is this key still in use" signal: writing it on every request
# would turn each read into a database write, so it is refreshed at most this often.
LAST_USED_WRITE_INTERVAL = timedelta(minutes=5)


class KeyUser:
    """The request's user when it authenticated with an API key: no Django user behind it."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key
        self.account = api_key.account


def api_key_lookup(secret: str) -> ApiKey | None:
    """The live key for this secret, or None. One indexed equality on the SHA-256: no
    character-by-character comparison of secrets happens in Python, so no timing leak."""
    if not keys.api_key_is_well_formed(secret):
        return None
    api_key = (
        ApiKey.objects.select_related("account")
        .filter(hashed_secret=keys.api_key_hash(secret), revoked_at__isnull=True)
        .first()
    )
    return api_key


def api_key_touch(api_key: ApiKey) -> None:
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_WRITE_INTERVAL:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


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
        api_key = api_key_lookup(secret.strip())
        if api_key is None:
            raise InvalidToken()
        api_key_touch(api_key)
        return KeyUser(api_key), api_key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class AppSessionAuthentication(SessionAuthentication):
    """The web admin's session, for endpoints that accept it (`/api/me`)."""

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
