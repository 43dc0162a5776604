"""Who must hear of a change of login or access, and when: the live sockets and SSE streams it
concerns, after the change commits (a rolled-back change closes nothing).

Open dashboards used to re-check their access every 30 s: two or three queries a socket, for
changes that are rare. The changes are announced instead, to the affected sockets only; the
periodic re-check stays as a safety net (`NOWMETRIX_ACCESS_RECHECK_SECS`) for what happens
outside these paths (a member edited in Django's admin, a session expiring, a lost publication).

| change                                   | told                          | socket does              |
|------------------------------------------|-------------------------------|--------------------------|
| log out (`user_logged_out`)              | the user's sockets            | that session's close 4401 |
| password, deactivation (user saved)      | the user's sockets            | re-check: 4401 if ended  |
| user deleted                             | the user's sockets            | re-check: 4401           |
| member added, role or trackers, removed  | the member's sockets          | re-check: 4403 if lost   |
| API key revoked                          | the key's SSE streams         | end with `invalid_token` |

Tracker deactivation changes no access: a deactivated tracker stays listed with its history.
Nor does deleting an account: it must have no trackers left (they are protected), so no socket
shows any of it."""

from __future__ import annotations

import hashlib
import logging
from typing import Callable

from django.contrib.auth import get_user_model, user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from redis.exceptions import RedisError

from realtime import events, keys, live_state
from trackers.signals import api_key_revoked, member_access_changed

User = get_user_model()
log = logging.getLogger(__name__)


def session_tag(session_key: str | None) -> str:
    """A name for a session that the channel layer may carry: not the key, which logs one in."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32] if session_key else ""


def _on_commit(announce: Callable[[], None]) -> None:
    # At once outside a transaction (autocommit), else when the outermost one commits.
    transaction.on_commit(announce)


@receiver(user_logged_out)
def session_ended(sender, request, user, **kwargs) -> None:
    """Sent before the session is flushed, so the sockets are told the verdict, not to re-check."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and key:
        tag, user_id = session_tag(key), user.pk
        _on_commit(lambda: events.announce_session_ended(user_id, tag))


@receiver(post_save, sender=User)
def user_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A new password ends the user's other sessions; deactivation ends all of them. A login's
    `last_login` write changes nothing for open sockets."""
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    groups = [keys.user_group(instance.pk)]
    _on_commit(lambda: events.announce_access_changed(groups))


@receiver(post_delete, sender=User)
def user_deleted(sender, instance, **kwargs) -> None:
    groups = [keys.user_group(instance.pk)]
    _on_commit(lambda: events.announce_access_changed(groups))


@receiver(member_access_changed)
def member_access_changed_announce(sender, user_ids, **kwargs) -> None:
    groups = [keys.user_group(user_id) for user_id in user_ids]
    _on_commit(lambda: events.announce_access_changed(groups))


@receiver(api_key_revoked)
def api_key_streams_end(sender, api_key, **kwargs) -> None:
    hashed_secret = api_key.hashed_secret

    def announce() -> None:
        try:
            live_state.api_key_revocation_announce(hashed_secret)
        except RedisError as error:  # with Redis away, the streams have ended anyway
            log.warning("revocation not announced to the key's streams: %r", error)

    _on_commit(announce)
