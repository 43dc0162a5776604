"""Pages that show live data: a tracker's dashboard (and its wall mode), the account-wide live
overview, and a tracker's dropped-hit counters. The numbers arrive over the WebSockets of
`realtime.consumers`; the pages start from the same frames, embedded as inert JSON."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

from realtime import csp, payloads, selectors
from realtime.drops import DropReason
from trackers import current
from trackers import selectors as tracker_selectors

# What `<script type="application/json">` needs escaped so that text inside a JSON string can
# never close the element (the same characters as Django's `json_script`).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_script_text(json_text: str) -> SafeString:
    """Serialized JSON made safe to place inside a `<script type="application/json">` element,
    without decoding and re-encoding it."""
    return mark_safe(json_text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped just above


def _tracker_or_404(request, public_id: str):
    tracker = tracker_selectors.tracker_for_user(user=request.user, public_id=public_id)
    if tracker is None:
        raise Http404("No such tracker.")
    return tracker


@login_required
@csp.dashboard_csp
def tracker_live(request, public_id: str):
    """The tracker's live dashboard; `?wall=1` is the full-screen newsroom display."""
    tracker = _tracker_or_404(request, public_id)
    membership = tracker_selectors.membership_get(user=request.user, account=tracker.account)
    current.select_tracker(request, tracker.public_id)
    try:
        frame = selectors.snapshot_frame(tracker.public_id)
    except RedisError:  # the page still opens; its socket retries until the live state is back
        frame = None
    return render(request, "realtime/dashboard.html", {
        "tracker": tracker,
        "is_admin": membership is not None and membership.is_admin,
        "wall": request.GET.get("wall") == "1",
        "initial_frame": json_script_text(frame) if frame else None,
        "delta_schema": payloads.delta_schema(),  # how deltas.js reads a delta frame's rows
        "server_now_ms": int(time.time() * 1000),
    })


@login_required
@csp.dashboard_csp
def overview(request):
    """Every tracker the user may open, with its live numbers."""
    trackers = list(tracker_selectors.tracker_list_for_user(user=request.user).select_related("account"))
    try:
        summaries = selectors.summary_frames([t.public_id for t in trackers])
    except RedisError:  # as on the dashboard: the page opens, its socket retries
        summaries = []
    return render(request, "realtime/overview.html", {
        "trackers": trackers,
        "several_accounts": len({t.account_id for t in trackers}) > 1,
        "initial_frames": json_script_text("[" + ",".join(frame for _site, frame in summaries) + "]"),
        "server_now_ms": int(time.time() * 1000),
    })


@login_required
def tracker_drops(request, public_id: str):
    """Hits the tracker dropped in the last week, by reason (Admins of its account)."""
    tracker = _tracker_or_404(request, public_id)
    membership = tracker_selectors.membership_get(user=request.user, account=tracker.account)
    if membership is None or not membership.is_admin:
        return render(request, "trackers/forbidden.html", status=403)
    reasons = DropReason.shown_per_tracker()
    rows = selectors.drops_by_day(tracker.public_id, tracker.timezone, reasons=reasons)
    return render(request, "realtime/drops.html", {
        "tracker": tracker,
        "labels": [reason.label for reason in reasons],
        "rows": rows,
    })
