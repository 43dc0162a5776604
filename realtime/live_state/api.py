"""What the /v1 API keeps in Redis: rate-limit windows, revocation marks, the public counter."""

from __future__ import annotations

from django.conf import settings

from realtime import keys
from realtime.live_state.clients import aclient, client, pubsub_client


def rate_limit_incr(bucket: str, window_start: int, window_secs: int) -> int:
    """Count one request in a fixed window; returns the count so far (one round trip)."""
    key = keys.rate_limit(bucket, window_start)
    pipe = client().pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, window_secs + 1, nx=True)
    return pipe.execute()[0]


def page_active_users(public_id: str, page_ids: list[str]) -> int:
    """Active users on one page (summed over the tracker's hosts' page ids)."""
    scores = client().zmscore(keys.tracker_key(public_id, keys.PAGES), page_ids)
    return int(sum(s for s in scores if s))


def api_key_mark_revoked(hashed_secret: str) -> None:
    client().set(keys.revoked_api_key(hashed_secret), "1", ex=keys.REVOKED_MARK_TTL_SECS)


def api_key_revocation_announce(hashed_secret: str) -> None:
    """Tell the key's open SSE streams that it was revoked (they end at once). Published on
    every pub/sub server (NOWMETRIX_PUBSUB_REDIS_URLS): a stream listens on the server of its
    tracker's snapshot channel, which the revoking process does not know. Revocations are rare."""
    for url in settings.NOWMETRIX_PUBSUB_REDIS_URLS:
        pubsub_client(url).publish(keys.api_key_channel(hashed_secret), "revoked")


async def api_key_ais_revoked(hashed_secret: str) -> bool:
    """`api_key_is_revoked` for async callers (the SSE stream, once it listens for revocation)."""
    return bool(await aclient().exists(keys.revoked_api_key(hashed_secret)))


def api_key_is_revoked(hashed_secret: str) -> bool:
    """Whether the key was revoked within REVOKED_MARK_TTL_SECS (checked while the database is away)."""
    return bool(client().exists(keys.revoked_api_key(hashed_secret)))


async def rate_limit_aincr_and_revoked(bucket: str, window_start: int, window_secs: int,
                                       hashed_secret: str) -> tuple[int, bool]:
    """The fast path's one round trip: count the request and learn whether the key was revoked."""
    key = keys.rate_limit(bucket, window_start)
    pipe = aclient().pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, window_secs + 1, nx=True)
    pipe.exists(keys.revoked_api_key(hashed_secret))
    used, _, revoked = await pipe.execute()
    return used, bool(revoked)
