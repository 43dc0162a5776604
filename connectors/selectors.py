"""Reads. Web-facing ones take `account=` and answer 404 for another tenant's objects; the
evaluation's reads say in their name that they span every account."""

from __future__ import annotations

import json

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from connectors import rules
from connectors.models import Channel, Connector, Delivery, Qualification
from realtime import live_state
from trackers.models import Account

DELIVERY_LOG_ROWS = 50
# A snapshot older than this means the tick is not running: evaluation leaves the state alone
# rather than ending every qualification.
SNAPSHOT_STALE_SECS = 60


def connector_list(*, account: Account) -> QuerySet[Connector]:
    """The account's connectors with their channels and their latest delivery's status and time."""
    latest = Delivery.objects.filter(connector=OuterRef("pk")).order_by("-created_at", "-id")
    return (Connector.objects.filter(account=account).select_related("tracker")
            .prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("id")))
            .annotate(last_delivery_status=Subquery(latest.values("status")[:1]),
                      last_delivery_at=Subquery(latest.values("created_at")[:1]))
            .order_by("name", "id"))


def connector_get(*, account: Account, public_id: str) -> Connector:
    """The account's connector, or 404: another tenant's connector is indistinguishable from none."""
    connector = Connector.objects.select_related("tracker").filter(account=account, public_id=public_id).first()
    if connector is None:
        raise Http404("No such connector.")
    return connector


def channel_get(*, account: Account, connector: Connector, channel_id: int) -> Channel:
    channel = Channel.objects.filter(account=account, connector=connector, pk=channel_id).first()
    if channel is None:
        raise Http404("No such channel.")
    return channel


def channel_list(*, account: Account, connector: Connector) -> QuerySet[Channel]:
    return Channel.objects.filter(account=account, connector=connector).order_by("id")


def delivery_list(*, account: Account, connector: Connector, limit: int = DELIVERY_LOG_ROWS) -> list[Delivery]:
    """The connector's latest deliveries, newest first (the delivery log)."""
    return list(Delivery.objects.filter(account=account, connector=connector).select_related("post", "channel")
                .order_by("-created_at", "-id")[:limit])


def connector_list_active_all() -> QuerySet[Connector]:
    """Active connectors of every account with at least one channel: what the evaluation visits."""
    return (Connector.objects.filter(is_active=True, channels__isnull=False, tracker__is_active=True).distinct()
            .select_related("tracker").order_by("tracker_id", "id"))


def open_qualifications(*, connector: Connector) -> dict[str, Qualification]:
    return {q.article_key: q for q in Qualification.objects.filter(connector=connector, ended_at__isnull=True)
            .select_related("post")}


def live_articles(site: str, now: float) -> list[rules.Article] | None:
    """The tracker's articles in its latest stored snapshot (the tick builds it; nothing is
    computed here). `[]` when no snapshot is stored (no traffic), None when it is stale."""
    stored = live_state.snapshot_get(site)
    if stored is None:
        return []
    if stored.built_at < now - SNAPSHOT_STALE_SECS:
        return None
    return [rules.article_from_page(page) for page in json.loads(stored.realtime)["top_pages"]]
