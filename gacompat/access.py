"""Who may read which view: NowMetrix API keys presented as Google OAuth tokens.

Google's clients send `Authorization: Bearer <token>`; JavaScript and PHP code also puts the
token in the query string (`access_token`, legacy `oauth_token`). Any live key reaches the
trackers it was granted: these are read methods, so read-only keys suffice."""

from __future__ import annotations

from dataclasses import dataclass

from realtime import live_state
from trackers import selectors
from trackers.grants import Grant, grant_authenticate
from trackers.models import Tracker
from gacompat import errors

MAX_VIEW_ID = 2**63 - 1


@dataclass(frozen=True)
class Caller:
    grant: Grant
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


def authenticate(request) -> Grant:
    """The grant of the request's live API key, or a 401 (`required` when none, `authError` when bad)."""
    secret = presented_secret(request)
    if secret is None:
        raise errors.login_required()
    grant = grant_authenticate(secret)
    if grant is None:
        raise errors.invalid_credentials()
    return grant


def tracker_for(grant: Grant, view_id: str) -> Tracker | None:
    """The tracker with this numeric view id if the key reaches it (one query, then the one
    access rule, Grant.may_read); other tenants' trackers and unknown ids are indistinguishable."""
    if not view_id.isdigit() or int(view_id) > MAX_VIEW_ID:
        return None
    tracker = selectors.tracker_list(account=grant.account_id).filter(pk=int(view_id)).first()
    return tracker if tracker is not None and grant.may_read(tracker) else None


def caller(grant: Grant, tracker: Tracker) -> Caller:
    """The caller with the tracker's live window, from the ingest configuration in Redis (the
    database row is the fallback when the configuration has not been published yet)."""
    config = live_state.tracker_config_get(tracker.public_id)
    if config is not None:
        return Caller(grant, tracker, config.window_secs, config.timezone)
    return Caller(grant, tracker, tracker.live_window_minutes * 60, tracker.timezone)
