"""`/v1/realtime` and `/v1/sources`: the microcached live snapshot, pre-serialized."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from realtime.api import access, keycache, microcache, ratelimit, schema, snapshot_response
from realtime.api.authentication import ApiKeyAuthentication, authenticate_grant
from realtime.api.errors import RateLimitExceeded

SITE_PARAM = OpenApiParameter("site", schema.SITE_SCHEMA, OpenApiParameter.QUERY, required=True,
                              description="The tracker's public ID.")
FRESHNESS_HEADERS = {
    "X-NowMetrix-Microcache": "HIT when served from the 8-second per-tracker microcache, MISS otherwise.",
    "X-NowMetrix-Snapshot-Age": "Seconds since the snapshot was built.",
    "X-NowMetrix-Live-Window": "The tracker's live window in seconds (who counts as active).",
    "ETag": "Weak validator of the content; send it back in If-None-Match to get 304.",
    "X-RateLimit-Limit": "Requests allowed per minute for this key.",
    "X-RateLimit-Remaining": "Requests left in the current window.",
    "X-RateLimit-Reset": "Unix time at which the window resets.",
}


class RateLimitedKeyView(APIView):
    """Base of key-authenticated /v1 views: Bearer keys only (`request.auth` is the key's grant),
    per-key rate limit."""

    authentication_classes = [ApiKeyAuthentication]
    rate_limit_headers: dict[str, str] = {}

    def perform_authentication(self, request):
        authenticate_grant(request)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication first: 401s before 429s
        verdict = ratelimit.check(keycache.rate_bucket(request.auth))
        self.rate_limit_headers = verdict.headers()
        if not verdict.allowed:
            raise RateLimitExceeded(headers={**self.rate_limit_headers, "Retry-After": str(verdict.retry_after())})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in self.rate_limit_headers.items():
            response.setdefault(name, value)
        return response


class SnapshotView(RateLimitedKeyView):
    part = "realtime"

    def get(self, request):
        site = access.site_param(request)
        # Authentication remembered the key's grant: the ASGI fast path serves the next hits.
        config = access.readable_tracker(request.auth, site)
        entry, hit = microcache.get(config, bypass=snapshot_response.wants_fresh(request.headers.get("Cache-Control", "")))
        if snapshot_response.is_not_modified(entry, request.headers.get("If-None-Match", "")):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(getattr(entry.snapshot, self.part), content_type=snapshot_response.JSON_CONTENT_TYPE)
        for name, value in snapshot_response.snapshot_headers(entry, hit, microcache.clock()).items():
            response[name] = value
        return response


ERRORS = {400: schema.BAD_REQUEST, 401: schema.UNAUTHORIZED, 403: schema.FORBIDDEN, 429: schema.RATE_LIMITED,
          503: schema.UNAVAILABLE}


class RealtimeView(SnapshotView):
    part = "realtime"

    @extend_schema(
        summary="Live snapshot of a tracker",
        parameters=[SITE_PARAM],
        responses={200: OpenApiResponse(schema.RealtimeSerializer, description="Headers: " + "; ".join(
            f"{k}: {v}" for k, v in FRESHNESS_HEADERS.items())), 304: OpenApiResponse(description="Not modified."),
            **ERRORS},
    )
    def get(self, request):
        return super().get(request)


class SourcesView(SnapshotView):
    part = "sources"

    @extend_schema(
        summary="Traffic sources of the active users",
        parameters=[SITE_PARAM],
        responses={200: schema.SourcesSerializer, 304: OpenApiResponse(description="Not modified."), **ERRORS},
    )
    def get(self, request):
        return super().get(request)
