"""`POST /v1beta/properties/<id>:runRealtimeReport` (also `v1alpha`): the GA4 Data API's realtime
report, with the AIP error shape (`{"error": {"code", "message", "status"}}`)."""

from __future__ import annotations

import json
import time

from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

from gacompat import access, errors, ga4_query, quotas, rendering
from gacompat.errors import Ga4Error, GoogleError
from gacompat.params import Output, preflight

MAX_BODY_BYTES = 256 * 1024


@method_decorator(csrf_exempt, name="dispatch")  # Bearer-key API: no cookies, no CSRF
class RunRealtimeReportView(View):
    """Returns a realtime report of one property (tracker)."""

    http_method_names = ["post", "options"]

    def options(self, request, *args, **kwargs):
        return preflight()

    def http_method_not_allowed(self, request, *args, **kwargs):
        error = Ga4Error(405, f"HTTP method {request.method} is not supported by this URL.")
        return rendering.render(error.body(), 405, indent=2, headers={"Allow": "POST, OPTIONS"})

    def post(self, request, version: str, property_id: str):
        output, error = Output.from_request(request.GET, ga4_query.RESPONSE_SCHEMA)
        try:
            if error is not None:
                raise errors.from_v3(error) if error.code != 400 else errors.ga4_invalid(error.message)
            return output.respond(self.answer(request, property_id), indent=2)
        except GoogleError as exc:
            exc = errors.from_v3(exc)
            return output.respond(exc.body(), exc.code, exc.headers, indent=2)
        except Ga4Error as exc:
            return output.respond(exc.body(), exc.code, exc.headers, indent=2)
        except (RedisConnectionError, RedisTimeoutError):
            exc = errors.ga4_unavailable()
            return output.respond(exc.body(), exc.code, indent=2)

    def answer(self, request, property_id: str) -> dict:
        try:
            api_key = access.authenticate(request)
        except GoogleError as exc:
            raise (errors.ga4_unauthenticated() if exc.reason == "required" else errors.ga4_invalid_credentials())
        if not property_id.isdigit():
            raise errors.ga4_invalid(f"Invalid property: properties/{property_id}. The property ID must be numeric.")
        tracker = access.tracker_for(api_key, property_id)
        if tracker is None:
            raise errors.ga4_permission_denied(property_id)
        now = time.time()
        quota = quotas.ga4_charge(property_id=tracker.pk, api_key_id=api_key.pk, user=quotas.quota_user(request),
                                  now=now)
        body = _json_body(request)
        query = ga4_query.parse(body, stream_id=str(tracker.pk), stream_name=tracker.name)
        result = ga4_query.run(query, tracker.public_id, now)
        return ga4_query.response_body(query, result, quota.body() if query.return_quota else None)


def _json_body(request) -> dict:
    raw = request.body
    if len(raw) > MAX_BODY_BYTES:
        raise errors.ga4_invalid("Request payload is too large.")
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise errors.ga4_invalid("Invalid JSON payload received.") from None
