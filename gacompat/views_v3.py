"""`GET /analytics/v3/data/realtime`: the Real Time Reporting API v3 (`analytics.data.realtime.get`).

Order of checks: output parameters (so that errors honour `callback` and `prettyPrint`),
credentials (401), `ids` (400), access to the view (403), quotas (403), the query (400)."""

from __future__ import annotations

import logging
import re

from django.db import DatabaseError
from django.views import View
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

from gacompat import access, errors, quotas, rendering, v3_query
from gacompat.errors import GoogleError
from gacompat.params import Output, preflight

IDS_PATTERN = re.compile(r"ga:[0-9]+")
logger = logging.getLogger(__name__)


class RealtimeGetView(View):
    """Returns real time data for a view (profile)."""

    http_method_names = ["get", "head", "options"]

    def options(self, request, *args, **kwargs):
        return preflight()

    def http_method_not_allowed(self, request, *args, **kwargs):
        error = GoogleError(405, "httpMethodNotAllowed", f"HTTP method {request.method} is not supported by this URL.")
        return rendering.render(error.body(), 405, headers={"Allow": "GET, HEAD, OPTIONS"})

    def get(self, request):
        params = request.GET
        output = Output()
        try:
            output, error = Output.from_request(params, v3_query.RESPONSE_SCHEMA)
            if error is not None:
                raise error
            return output.respond(self.answer(request, params))
        except GoogleError as exc:
            failure = exc
        except (RedisConnectionError, RedisTimeoutError, DatabaseError):
            failure = errors.backend_error()
        except Exception:  # the documented contract: Google's envelope, never Django's HTML page
            logger.exception("realtime.get failed")
            failure = errors.internal_error()
        return output.respond(failure.body(), failure.code, failure.headers)

    def answer(self, request, params) -> dict:
        grant = access.authenticate(request)
        ids = params.get("ids")
        if not ids:
            raise errors.required_parameter("ids")
        if not IDS_PATTERN.fullmatch(ids):
            raise errors.invalid_parameter("ids", f"Invalid value '{ids}'. Values must match the following regular "
                                                  f"expression: 'ga:[0-9]+'")
        tracker = access.tracker_for(grant, ids[3:])
        if tracker is None:
            raise errors.insufficient_permissions()
        now = v3_query.now()
        quotas.v3_charge(view_id=tracker.pk, api_key_id=grant.key_id, user=quotas.quota_user(request), now=now)
        query = v3_query.parse(params, ids)
        who = access.caller(grant, tracker)
        result = v3_query.run(query, v3_query.Context(tracker.public_id, now, who.window_secs))
        link = v3_query.self_link(request.build_absolute_uri(request.path), query)
        return v3_query.response_body(query, result, link=link, profile=profile_info(tracker))


def profile_info(tracker) -> dict:
    """The view's identity: one web property and one view per tracker (docs/ga-compat.md)."""
    return {
        "profileId": str(tracker.pk),
        "accountId": str(tracker.account_id),
        "webPropertyId": f"UA-{tracker.account_id}-{tracker.pk}",
        "internalWebPropertyId": str(tracker.pk),
        "profileName": tracker.name,
        "tableId": f"realtime:{tracker.pk}",
    }
