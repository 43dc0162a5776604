"""Who may read which view: NowMetrix API keys presented as Google OAuth tokens.

Google's clients send `Authorization: Bearer <token>`; JavaScript and PHP code also puts the
token in the query string (`access_token`, legacy `oauth_token`). Any live key reaches the
trackers it was granted: these are read methods, so read-only keys suffice."""

from __future__ import annotations

from dataclasses import dataclass

from realtime import live_state
from trackers import selectors
from trackers.authentication import api_key_lookup, api_key_touch
from trackers.models import ApiKey, Tracker
from gacompat import errors

MAX_VIEW_ID = 2**63 - 1


@dataclass(frozen=True)
class Caller:
    api_key: ApiKey
    tracker: Tracker
    window_secs: int
    timezone: str


def presented_secret(request) -> str | None:
    """The token from the Authorization header, else from `access_token`/`oauth_token`;
    None when nothing was presented. Raises for a header with another scheme."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise errors.invalid_credentials()
        return secret.strip()
    return request.GET.get("access_token") or request.GET.get("oauth_token") or None


def authenticate(request) -> ApiKey:
    """The live API key of the request, or a 401 (`required` when none, `authError` when bad)."""
    secret = presented_secret(request)
    if secret is None:
        raise errors.login_required()
    api_key = api_key_lookup(secret)
    if api_key is None:
        raise errors.invalid_credentials()
    api_key_touch(api_key)
    return api_key


def tracker_for(api_key: ApiKey, view_id: str) -> Tracker | None:
    """The tracker with this numeric view id if the key reaches it (one query); other
    tenants' trackers and unknown ids are indistinguishable."""
    if not view_id.isdigit() or int(view_id) > MAX_VIEW_ID:
        return None
    return selectors.api_key_trackers(api_key=api_key).filter(pk=int(view_id)).first()


def caller(api_key: ApiKey, tracker: Tracker) -> Caller:
    """The caller with the tracker's live window, from the ingest configuration in Redis (the
    database row is the fallback when the configuration has not been published yet)."""
    config = live_state.tracker_config_get(tracker.public_id)
    if config is not None:
        return Caller(api_key, tracker, config.window_secs, config.timezone)
    return Caller(api_key, tracker, tracker.live_window_minutes * 60, tracker.timezone)
