"""Throttles of the web admin: failed logins per account and per client address, and the mails
that signup and password reset send, per recipient and per client address.

Counters live in Django's cache (Redis, shared by every process), in clock-aligned windows of
`window_secs`. A key is throttled while its count in the current or the previous window has
reached the limit: the back-off after the limit lasts until the end of the next window, so
between one and two windows (README, "Logins and mail throttles"). Keys are hashed: no email
address or IP address is written to Redis in clear.

If Redis cannot be reached, the throttles fail open (log a warning, count nothing, refuse
nothing): a cache outage must not lock every user out of the admin, and sessions do not need it.

Why not django-axes: it applies one failure limit to every lockout key, so a shared office
address would be locked as soon as one account is, and it throttles nothing but logins.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
clock = time.time  # tests drive it


def _fail_open(default):
    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (ConnectionInterrupted, RedisError) as error:
                log.warning("throttle %s skipped, the cache is unreachable: %r", self.name, error)
                return default
        return wrapper
    return decorate


@dataclass(frozen=True)
class Throttle:
    name: str
    setting: str  # the setting holding the limit per window
    window_setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)

    @property
    def window_secs(self) -> int:
        return getattr(settings, self.window_setting)

    def _key(self, value: str, window: int) -> str:
        digest = hashlib.sha256(f"{self.name}:{value}".encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{digest}:{window}"

    @_fail_open(0)
    def retry_after(self, value: str) -> int:
        """Seconds until `value` may try again; 0 when it may now."""
        now = clock()
        window = int(now // self.window_secs)
        counts = cache.get_many([self._key(value, window), self._key(value, window - 1)])
        if counts.get(self._key(value, window), 0) >= self.limit:
            return max(1, math.ceil((window + 2) * self.window_secs - now))
        if counts.get(self._key(value, window - 1), 0) >= self.limit:
            return max(1, math.ceil((window + 1) * self.window_secs - now))
        return 0

    @_fail_open(None)
    def record(self, value: str) -> None:
        key = self._key(value, int(clock() // self.window_secs))
        # add-then-incr: atomic in Redis, so concurrent attempts from several processes all count.
        cache.add(key, 0, timeout=2 * self.window_secs + 1)
        cache.incr(key)

    @_fail_open(None)
    def reset(self, value: str) -> None:
        window = int(clock() // self.window_secs)
        cache.delete_many([self._key(value, window), self._key(value, window - 1)])


LOGIN_PER_ACCOUNT = Throttle("login-account", "NOWMETRIX_LOGIN_FAILURES_PER_ACCOUNT", "NOWMETRIX_LOGIN_WINDOW_SECS")
LOGIN_PER_ADDRESS = Throttle("login-address", "NOWMETRIX_LOGIN_FAILURES_PER_ADDRESS", "NOWMETRIX_LOGIN_WINDOW_SECS")
MAIL_PER_RECIPIENT = Throttle("mail-recipient", "NOWMETRIX_AUTH_MAILS_PER_RECIPIENT", "NOWMETRIX_AUTH_MAIL_WINDOW_SECS")
MAIL_PER_ADDRESS = Throttle("mail-address", "NOWMETRIX_AUTH_MAILS_PER_ADDRESS", "NOWMETRIX_AUTH_MAIL_WINDOW_SECS")


def login_retry_after(*, username: str, address: str) -> int:
    """Seconds before this account, or anyone from this address, may try to log in again."""
    return max(LOGIN_PER_ACCOUNT.retry_after(username.lower()), LOGIN_PER_ADDRESS.retry_after(address))


def login_failed(*, username: str, address: str) -> None:
    LOGIN_PER_ACCOUNT.record(username.lower())
    LOGIN_PER_ADDRESS.record(address)


def login_succeeded(*, username: str) -> None:
    """The account's owner proved the password: earlier failures no longer count against it.
    The address's count stays (one attacker may own one of the accounts it tries)."""
    LOGIN_PER_ACCOUNT.reset(username.lower())


def mail_allowed(*, recipient: str, address: str) -> int:
    """Count one signup or password-reset mail request; returns 0 if it may be sent, else the
    seconds to wait. Counted whether or not the email is registered, so the answer reveals nothing."""
    wait = max(MAIL_PER_RECIPIENT.retry_after(recipient.lower()), MAIL_PER_ADDRESS.retry_after(address))
    if not wait:
        MAIL_PER_RECIPIENT.record(recipient.lower())
        MAIL_PER_ADDRESS.record(address)
    return wait


def wait_text(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    return "a minute" if minutes <= 1 else f"{minutes} minutes"
