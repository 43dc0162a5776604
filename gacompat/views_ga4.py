"""`POST /v1beta/properties/<id>:runRealtimeReport` (also `v1alpha`): the GA4 Data API's realtime
report, with the AIP error shape (`{"error": {"code", "message", "status"}}`)."""

from __future__ import annotations

import dataclasses
import json
import logging
import time

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

from gacompat import access, errors, ga4_query, quotas, rendering
from gacompat.errors import Ga4Error, GoogleError
from gacompat.params import Output, preflight

MAX_BODY_BYTES = 256 * 1024
# Protobuf's JSON parser refuses messages nested deeper than 100 (`json_format` max_recursion_depth);
# counted here over JSON objects and arrays. Deeper bodies are INVALID_ARGUMENT, never a RecursionError.
MAX_BODY_DEPTH = 100
logger = logging.getLogger(__name__)


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
        output = Output()
        try:
            output, error = Output.from_request(request.GET, ga4_query.RESPONSE_SCHEMA)
            if error is not None:
                raise errors.from_v3(error) if error.code != 400 else errors.ga4_invalid(error.message)
            return output.respond(self.answer(request, property_id), indent=2)
        except GoogleError as exc:
            failure = errors.from_v3(exc)
        except Ga4Error as exc:
            failure = exc
        except (RedisConnectionError, RedisTimeoutError, DatabaseError):
            failure = errors.ga4_unavailable()
        except SuspiciousOperation:  # Django refused the query string (too many fields): bad input
            failure = errors.ga4_invalid("The request has too many parameters or is too large.")
        except Exception:  # the documented contract: Google's envelope, never Django's HTML page
            logger.exception("runRealtimeReport failed")
            failure = errors.ga4_internal()
        return output.respond(failure.body(), failure.code, failure.headers, indent=2)

    def answer(self, request, property_id: str) -> dict:
        try:
            grant = access.authenticate(request)
        except GoogleError as exc:
            raise (errors.ga4_unauthenticated() if exc.reason == "required" else errors.ga4_invalid_credentials())
        if not property_id.isdigit():
            raise errors.ga4_invalid(f"Invalid property: properties/{property_id}. The property ID must be numeric.")
        tracker = access.tracker_for(grant, property_id)
        if tracker is None:
            raise errors.ga4_permission_denied(property_id)
        now = time.time()
        with quotas.ga4_concurrent_slot(property_id=tracker.pk, now=now) as in_flight:
            quota = quotas.ga4_charge(property_id=tracker.pk, api_key_id=grant.key_id, user=quotas.quota_user(request),
                                      now=now)
            body = _json_body(request)
            query = ga4_query.parse(body, stream_id=str(tracker.pk), stream_name=tracker.name)
            result = ga4_query.run(query, tracker.public_id, now)
        quota = dataclasses.replace(quota, in_flight=in_flight)
        return ga4_query.response_body(query, result, quota.body() if query.return_quota else None)


def _json_body(request) -> dict:
    try:
        raw = request.body
    except RequestDataTooBig:  # above Django's DATA_UPLOAD_MAX_MEMORY_SIZE: refused before reading
        raise errors.ga4_invalid("Request payload is too large.") from None
    if len(raw) > MAX_BODY_BYTES:
        raise errors.ga4_invalid("Request payload is too large.")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise errors.ga4_invalid("Invalid JSON payload received.") from None
    if _depth(body) > MAX_BODY_DEPTH:
        raise errors.ga4_invalid(f"Invalid JSON payload received. Message nesting is deeper than {MAX_BODY_DEPTH}.")
    return body


def _not_json(name: str):
    """Python's reader takes `NaN` and `Infinity`; JSON (and Google's parser) does not."""
    raise ValueError(f"{name} is not JSON")


def _depth(value) -> int:
    """How deeply objects and arrays nest (iterative: the body may be deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_BODY_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest
