"""History pages of the dashboard, for the members who may open the tracker (Admins, and
Editors given it): pace (today against yesterday, refreshed every minute) and recap (a preset
or custom range, its daily chart, summary and searchable top pages). Visitor-supplied strings
(titles, authors, URLs) reach the page only as escaped text, under the dashboards' CSP."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from history import reports, slots
from history.ranges import PRESETS, LABELS, RECAP_LIMIT_MAX, recap_range
from realtime import csp
from trackers import selectors as tracker_selectors
from realtime.api.errors import InvalidParameter

CHART_WIDTH, CHART_HEIGHT = 720, 160


def _tracker_or_404(request, public_id: str):
    tracker = tracker_selectors.tracker_for_user(user=request.user, public_id=public_id)
    if tracker is None:
        raise Http404("No such tracker.")
    return tracker


def _pace(tracker) -> dict:
    return reports.pace(site=tracker.public_id, account_id=tracker.account_id, tracker_id=tracker.pk,
                        tz=tracker.timezone, now=time.time())


@login_required
@csp.dashboard_csp
def tracker_pace(request, public_id: str):
    tracker = _tracker_or_404(request, public_id)
    return render(request, "history/pace.html", {"tracker": tracker, "pace": _pace(tracker), "section": "tracker"})


@login_required
def tracker_pace_json(request, public_id: str):
    """The pace page's minute refresh: the /v1/pace body, for the session's member."""
    tracker = _tracker_or_404(request, public_id)
    response = JsonResponse(_pace(tracker))
    response["Cache-Control"] = "no-store"
    return response


def _bars(daily: list[dict]) -> list[dict]:
    """SVG geometry of the daily chart, computed here: the CSP allows no inline styles."""
    top = max([d["pageviews"] for d in daily] + [1])
    step = CHART_WIDTH / max(len(daily), 1)
    bars = []
    for i, d in enumerate(daily):
        height = round(d["pageviews"] / top * (CHART_HEIGHT - 10), 1)
        bars.append({**d, "x": round(i * step + step * 0.1, 1), "width": round(max(step * 0.8, 1), 1),
                     "y": round(CHART_HEIGHT - height, 1), "height": height})
    return bars


@login_required
@csp.dashboard_csp
def tracker_recap(request, public_id: str):
    tracker = _tracker_or_404(request, public_id)
    scope = {"account_id": tracker.account_id, "tracker_id": tracker.pk}
    today = slots.local_date(tracker.timezone, time.time())
    first_day = reports.recap_first_day(**scope, today=today)
    preset, start, end = request.GET.get("preset") or "last30", request.GET.get("start", ""), request.GET.get("end", "")
    query = (request.GET.get("q") or "").strip()
    error = ""
    try:
        span = recap_range(preset, start, end, today, first_day)
    except InvalidParameter as exc:
        error, preset = exc.message, "last30"
        span = recap_range(preset, "", "", today, first_day)
    body = reports.recap(site=tracker.public_id, **scope, tz=tracker.timezone, preset=preset, span=span,
                         first_day=first_day, today=today, limit=RECAP_LIMIT_MAX, query=query)
    return render(request, "history/recap.html", {
        "tracker": tracker, "recap": body, "error": error, "section": "tracker",
        "presets": [(p, LABELS.get(p, "Custom")) for p in PRESETS],
        "bars": _bars(body["daily"]), "chart_width": CHART_WIDTH, "chart_height": CHART_HEIGHT,
    })
