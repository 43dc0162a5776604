"""`/v1/overview`, `/v1/recap` (alias `/v1/charts`) and `/v1/pace`: the key authentication,
tracker access, rate limit and errors of `/v1/realtime` (`realtime.api`), then a microcached
body from `history.reports`."""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from history import reports, slots
from history.api import microcache, schema
from history.ranges import (OVERVIEW_DAYS_DEFAULT, OVERVIEW_DAYS_MAX, PRESETS, RECAP_LIMIT_DEFAULT, RECAP_LIMIT_MAX,
                            clamped_int, recap_range)
from realtime.api import access
from realtime.api.schema import ErrorSerializer
from realtime.api.snapshot_response import JSON_CONTENT_TYPE
from realtime.api.views import ERRORS, SITE_PARAM, RateLimitedKeyView
from realtime.tracker_config import TrackerConfig

HISTORY_ERRORS = {**ERRORS, 400: OpenApiResponse(ErrorSerializer, description=(
    "`site_required`: the site parameter is missing; `invalid_parameter`: a bad preset or date, "
    "or start after end."))}
CACHE_HEADER = "X-NowMetrix-Microcache"


def _query(request, *names: str) -> str:
    for name in names:
        value = request.query_params.get(name)
        if value is not None:
            return value.strip()
    return ""


class HistoryView(RateLimitedKeyView):
    endpoint = ""

    def tracker(self, request) -> TrackerConfig:
        return access.readable_tracker(request.auth, access.site_param(request))

    def respond(self, key: tuple, build) -> HttpResponse:
        body, hit = microcache.get_or_build((self.endpoint, *key), lambda: json.dumps(build()).encode())
        response = HttpResponse(body, content_type=JSON_CONTENT_TYPE)
        response[CACHE_HEADER] = "HIT" if hit else "MISS"
        return response


class OverviewView(HistoryView):
    endpoint = "overview"

    @extend_schema(
        summary="Daily pageviews and visits of the last N completed days",
        parameters=[SITE_PARAM, OpenApiParameter("days", str, description="An integer, clamped to 1..30; anything else falls back to the default, 30.")],
        responses={200: schema.OverviewSerializer, **HISTORY_ERRORS},
    )
    def get(self, request):
        config = self.tracker(request)
        days = clamped_int(request.query_params.get("days"), OVERVIEW_DAYS_DEFAULT, 1, OVERVIEW_DAYS_MAX)
        now = microcache.clock()
        return self.respond((config.public_id, days), lambda: reports.overview(
            site=config.public_id, account_id=config.account_id, tracker_id=config.view_id, tz=config.timezone,
            now=now, days=days))


class RecapView(HistoryView):
    endpoint = "recap"

    @extend_schema(
        summary="Series, summary and top pages of a preset or custom range",
        parameters=[
            SITE_PARAM,
            OpenApiParameter("preset", str, enum=list(PRESETS), description="Default last30."),
            OpenApiParameter("start", str, description="YYYY-MM-DD, with preset=custom."),
            OpenApiParameter("end", str, description="YYYY-MM-DD, with preset=custom."),
            OpenApiParameter("limit", str, description="Top pages: an integer, clamped to 1..100; anything else falls back to the default, 100."),
            OpenApiParameter("q", str, description="Case-insensitive filter on URL, title or author (alias: search)."),
        ],
        responses={200: schema.RecapSerializer, **HISTORY_ERRORS},
    )
    def get(self, request):
        config = self.tracker(request)
        scope = {"account_id": config.account_id, "tracker_id": config.view_id}
        today = slots.local_date(config.timezone, microcache.clock())
        # An empty preset is a bad one (400), as the schema says; only a missing one means last30.
        preset = _query(request, "preset") if "preset" in request.query_params else "last30"
        start, end = _query(request, "start"), _query(request, "end")
        limit = clamped_int(request.query_params.get("limit"), RECAP_LIMIT_DEFAULT, 1, RECAP_LIMIT_MAX)
        query = _query(request, "q", "search")

        def build() -> dict:
            first_day = reports.recap_first_day(**scope, today=today)
            span = recap_range(preset, start, end, today, first_day)  # raises invalid_parameter: never cached
            return reports.recap(site=config.public_id, **scope, tz=config.timezone, preset=preset, span=span,
                                 first_day=first_day, today=today, limit=limit, query=query)

        return self.respond((config.public_id, today, preset, start, end, limit, query), build)


class PaceView(HistoryView):
    endpoint = "pace"

    @extend_schema(
        summary="Today's pageviews against yesterday's, per 15 minutes",
        parameters=[SITE_PARAM],
        responses={200: schema.PaceSerializer, **HISTORY_ERRORS},
    )
    def get(self, request):
        config = self.tracker(request)
        now = microcache.clock()
        return self.respond((config.public_id,), lambda: reports.pace(
            site=config.public_id, account_id=config.account_id, tracker_id=config.view_id, tz=config.timezone,
            now=now))
