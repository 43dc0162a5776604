"""The periodic evaluation: every active connector's rule against its tracker's stored snapshot.

Per connector, one transaction that starts by writing the connector's row (`evaluated_at`):
on PostgreSQL that takes the row's lock, on SQLite the database's write lock, before anything
is read. Two evaluations at once (two beats, a slow worker) are thereby serialized per
connector, and the second sees what the first posted. Under that, unique constraints (one open
qualification per article, one post per qualification, one delivery per post and channel) make
a double post impossible even if the lock were skipped.
"""

from __future__ import annotations

import datetime
import logging
import time
from itertools import groupby

from django.db import OperationalError, transaction

from connectors import rules, selectors, services
from connectors.models import Connector, Delivery, DeliveryStatus, Post, Qualification

log = logging.getLogger(__name__)
HOUR_SECS = 3600
# A delivery still "sending" this long after its claim was interrupted (a worker killed mid-
# request). It is marked failed, never resent: the request may have gone out, and a duplicate
# post is worse than a missing one.
INTERRUPTED_SECS = 600
# A pending or retrying delivery untouched this long lost its Celery message: enqueue it again
# (the claim in `delivery.delivery_attempt` makes a second copy harmless).
STALLED_SECS = 900
# Ended qualifications are kept a day for the record, then pruned (cool-downs read posts).
QUALIFICATION_KEEP_SECS = 86_400


def evaluate(now: float | None = None) -> int:
    """One pass: every active connector, grouped by tracker so each snapshot is read once.
    Trackers without active connectors cost nothing. Returns the number of posts created."""
    now = time.time() if now is None else now
    posted = trackers = 0
    for tracker_id, group in groupby(selectors.connector_list_active_all(), key=lambda c: c.tracker_id):
        connectors = list(group)
        trackers += 1
        articles = selectors.live_articles(connectors[0].tracker.public_id, now)
        if articles is None:
            log.warning("connectors: the snapshot of %s is stale; its rules wait", connectors[0].tracker.public_id)
            continue
        for connector in connectors:
            posted += len(connector_evaluate(connector=connector, articles=articles, now=now))
    deliveries_sweep(now=now)
    if trackers:
        log.info("connectors: evaluated %d tracker(s), %d post(s)", trackers, posted)
    return posted


def _lock(connector: Connector, now: float) -> bool:
    return bool(Connector.objects.filter(pk=connector.pk, is_active=True).update(evaluated_at=services.utc(now)))


def _held_elsewhere(error: OperationalError) -> bool:
    """SQLite with a shared in-memory cache (the tests' database) refuses a second writer at once,
    at BEGIN IMMEDIATE or at the first write, instead of waiting: another evaluation holds the
    database, which is what the lock is for. (A database file waits its busy timeout instead.)"""
    return "locked" in str(error)


def connector_evaluate(*, connector: Connector, articles: list[rules.Article], now: float) -> list[Post]:
    """Track the qualifications of one connector's articles and post those due, within limits."""
    try:
        with transaction.atomic():
            if not _lock(connector, now):
                return []
            return _evaluate_locked(connector, articles, now)
    except OperationalError as error:
        if not _held_elsewhere(error):
            raise
        # Rolled back whole: nothing of this pass was written; the next beat evaluates again.
        log.info("connectors: %s is being evaluated by another worker", connector.public_id)
        return []


def _evaluate_locked(connector: Connector, articles: list[rules.Article], now: float) -> list[Post]:
    when = services.utc(now)
    meeting = {rules.article_key(a): a for a in articles
               if rules.meets_rule(a, threshold=connector.threshold, pageviews_floor=connector.pageviews_floor,
                                   stop_words=connector.stop_words)}
    open_ones = selectors.open_qualifications(connector=connector)
    ended = [q.pk for key, q in open_ones.items() if key not in meeting]
    Qualification.objects.filter(pk__in=ended).update(ended_at=when)
    Qualification.objects.filter(connector=connector, ended_at__isnull=True, article_key__in=list(meeting)).update(
        last_seen_at=when)
    new_keys = meeting.keys() - open_ones.keys()
    for q in Qualification.objects.bulk_create([
        Qualification(account_id=connector.account_id, connector=connector, article_key=key, started_at=when,
                      last_seen_at=when) for key in sorted(new_keys)
    ]):
        open_ones[q.article_key] = q
    # Compared as datetimes, both rounded to the microsecond as stored: a float `now` against
    # a stored timestamp could come out a rounding error short of zero.
    min_duration = datetime.timedelta(minutes=connector.min_minutes or 0)
    due = [key for key in meeting
           if (key in new_keys or not hasattr(open_ones[key], "post"))  # loaded by select_related: no query
           and when - open_ones[key].started_at >= min_duration]
    return _post_due(connector, due, meeting, open_ones, now) if due else []


def _post_due(connector: Connector, due: list[str], meeting: dict, open_ones: dict, now: float) -> list[Post]:
    real = Post.objects.filter(connector=connector, is_test=False)
    used = real.filter(created_at__gt=services.utc(now - HOUR_SECS)).count()
    cooling = set(real.filter(article_key__in=due, created_at__gt=services.utc(now - connector.cooldown_hours * HOUR_SECS))
                  .values_list("article_key", flat=True))
    posts = []
    for key in sorted(due, key=lambda k: (-meeting[k]["realtime_users"], meeting[k]["url"])):
        if key in cooling:
            continue
        if used >= connector.hourly_limit:
            break
        posts.append(services.post_create(connector=connector, article=meeting[key], now=now,
                                          qualification=open_ones[key]))
        used += 1
    return posts


def deliveries_sweep(*, now: float) -> None:
    """Mark interrupted deliveries failed, enqueue again those whose Celery message was lost, and
    prune old ended qualifications."""
    from connectors import tasks

    Qualification.objects.filter(ended_at__lt=services.utc(now - QUALIFICATION_KEEP_SECS)).delete()

    Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=services.utc(now - INTERRUPTED_SECS)).update(
        status=DeliveryStatus.FAILED, updated_at=services.utc(now),
        error="interrupted during the request (worker stopped); not resent, to never post twice")
    stalled = Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
                                      updated_at__lt=services.utc(now - STALLED_SECS))
    for pk in list(stalled.values_list("pk", flat=True)[:500]):
        # Touch first, so the next sweep does not enqueue it again while this copy waits.
        Delivery.objects.filter(pk=pk).update(updated_at=services.utc(now))
        tasks.deliver.delay(pk)
