"""One delivery attempt: claim the delivery, send it, record the outcome.

The claim is a conditional UPDATE (pending or retrying → sending): of two copies of one Celery
message (a redelivery after a worker restart, a sweep), only one sends. A worker killed after
its claim leaves the delivery "sending"; the evaluation's sweep later marks it failed instead
of sending again (see `evaluation.INTERRUPTED_SECS`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F

from connectors import channels, crypto, messages
from connectors.models import Delivery, DeliveryStatus
from connectors.services import utc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    status: str  # a DeliveryStatus, or "skipped" when another attempt holds or finished it
    retry_in_secs: float | None = None


def backoff_secs(attempts: int) -> float:
    """Exponential: base, 2 × base, 4 × base... after the 1st, 2nd, 3rd failed attempt."""
    return settings.NOWMETRIX_CONNECTOR_RETRY_BASE_SECS * 2 ** (attempts - 1)


def _message(delivery: Delivery, now: float) -> channels.Message:
    connector = delivery.connector
    rule: messages.Rule = {"id": connector.public_id, "name": connector.name, "threshold": connector.threshold,
                           "min_minutes": connector.min_minutes, "pageviews_floor": connector.pageviews_floor}
    tracker: messages.TrackerRef = {"id": connector.tracker.public_id, "name": connector.tracker.name}
    return channels.Message(article=delivery.post.article, rule=rule, tracker=tracker, test=delivery.post.is_test,
                            sent_at=utc(now).isoformat().replace("+00:00", "Z"), timestamp=int(now),
                            key=f"{connector.public_id}-{delivery.post_id}-{delivery.pk}")


def _finish(delivery_id: int, now: float, status: str, outcome: channels.Outcome | None = None, error: str = "") -> None:
    fields = {"status": status, "updated_at": utc(now), "error": (error or (outcome.error if outcome else ""))[:300]}
    if outcome is not None:
        fields.update(response_status=outcome.status, response_excerpt=outcome.excerpt[:500])
    Delivery.objects.filter(pk=delivery_id).update(**fields)


def delivery_attempt(delivery_id: int, now: float | None = None) -> Attempt:
    """Send one delivery if it is still to be sent. Retryable failures (timeouts, 5xx, 429) are
    retried up to NOWMETRIX_CONNECTOR_MAX_RETRIES times; others fail at once."""
    now = time.time() if now is None else now
    claimed = Delivery.objects.filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=utc(now))
    if not claimed:
        return Attempt("skipped")
    delivery = Delivery.objects.select_related("post", "channel", "connector__tracker").get(pk=delivery_id)
    if delivery.channel is None:
        _finish(delivery_id, now, DeliveryStatus.FAILED, error="the channel was deleted")
        return Attempt(DeliveryStatus.FAILED)
    try:
        creds = delivery.channel.credentials()
    except crypto.CredentialsUnreadable as error:
        _finish(delivery_id, now, DeliveryStatus.FAILED, error=str(error))
        return Attempt(DeliveryStatus.FAILED)
    outcome = channels.send(delivery.channel.kind, delivery.channel.base_url, creds, _message(delivery, now))
    if outcome.ok:
        status = DeliveryStatus.SENT
    elif outcome.retryable and delivery.attempts <= settings.NOWMETRIX_CONNECTOR_MAX_RETRIES:
        status = DeliveryStatus.RETRYING
    else:
        status = DeliveryStatus.FAILED
    _finish(delivery_id, now, status, outcome)
    log.log(logging.INFO if outcome.ok else logging.WARNING, "connector %s delivery %s to %s: %s (attempt %s, %s)",
            delivery.connector.public_id, delivery_id, delivery.channel_kind, status, delivery.attempts,
            outcome.error or outcome.status)
    retry_in = backoff_secs(delivery.attempts) if status == DeliveryStatus.RETRYING else None
    return Attempt(status, retry_in)
