"""`/v1/public/active`: the opt-in "N people are reading this" counter for customers' pages.

No key; CORS open; only for trackers whose admin enabled it; rate limited per client IP (by a
keyed hash, never the raw IP); answers only that page's active-user count, cached briefly."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from realtime import live_state
from realtime.api import ratelimit, schema
from realtime.ingest.visitor import page_id
from nowmetrix.client_address import client_address
from realtime.api.errors import InvalidParameter, RateLimitExceeded, SiteNotAuthorized, SiteRequired

CACHE_SECS = 5
# Keyed by (site, path), both chosen by whoever calls: bounded, oldest entries dropped first.
CACHE_MAX_ENTRIES = 4096
_cache: dict[tuple[str, str], tuple[float, bytes]] = {}


def _remember(key: tuple[str, str], entry: tuple[float, bytes]) -> None:
    _cache.pop(key, None)  # re-inserted last: dicts keep insertion order, the first is the oldest
    while len(_cache) >= CACHE_MAX_ENTRIES:
        del _cache[next(iter(_cache))]
    _cache[key] = entry


def _client_bucket(request) -> str:
    ip = client_address(request)
    return "ip:" + hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()[:20]


class PublicActiveView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        summary="Active readers of one page (public, opt-in)",
        parameters=[
            OpenApiParameter("site", schema.SITE_SCHEMA, OpenApiParameter.QUERY, required=True),
            OpenApiParameter("url", schema.PAGE_PATH_SCHEMA, OpenApiParameter.QUERY, required=True,
                             description="The page path, starting with /."),
        ],
        responses={200: schema.PublicActiveSerializer, 400: schema.BAD_REQUEST,
                   403: schema.error("`site_not_authorized`: the public counter is not enabled for this site."),
                   429: schema.RATE_LIMITED,
                   503: schema.error("`redis_unavailable`: the realtime backend is down.")},
    )
    def get(self, request):
        site = (request.query_params.get("site") or "").strip()
        path = request.query_params.get("url") or ""
        if not site:
            raise SiteRequired()
        if not path.startswith("/") or len(path) > schema.PAGE_PATH_MAX_CHARS:
            raise InvalidParameter("The url parameter must be a path starting with /.")
        verdict = ratelimit.check(_client_bucket(request), settings.NOWMETRIX_PUBLIC_RATE_LIMIT_PER_MIN)
        if not verdict.allowed:
            raise RateLimitExceeded(headers={**verdict.headers(), "Retry-After": str(verdict.retry_after())})
        now = time.time()
        cached = _cache.get((site, path))
        if cached is None or now - cached[0] > CACHE_SECS:
            config = live_state.tracker_config_get(site)
            if config is None or not config.public_counter:
                raise SiteNotAuthorized("The public counter is not enabled for this site.")
            count = live_state.page_active_users(site, [page_id(h, path) for h in config.hosts] +
                                                 [page_id("www." + h, path) for h in config.hosts])
            body = json.dumps({"site": site, "url": path, "realtime_users": count}).encode()
            cached = (now, body)
            _remember((site, path), cached)
        response = HttpResponse(cached[1], content_type="application/json; charset=utf-8")
        response["Cache-Control"] = f"public, max-age={CACHE_SECS}"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response
