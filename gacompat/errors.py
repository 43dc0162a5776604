"""Google's error envelopes: the classic v3 shape (`errors[]` with `reason`, `location`) and the
GA4 Data API's AIP shape (`status`). Client libraries key their exceptions on these."""

from __future__ import annotations

import re

from realtime.api.errors import retry_after_header


class GoogleError(Exception):
    """A v3 (googleapis.com classic) error."""

    def __init__(self, code: int, reason: str, message: str, *, location: str | None = None,
                 location_type: str = "parameter", domain: str = "global", headers: dict[str, str] | None = None):
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message
        self.location, self.location_type, self.domain = location, location_type, domain
        self.headers = headers or {}
        self.status: str | None = None

    def body(self) -> dict:
        item = {"domain": self.domain, "reason": self.reason, "message": self.message}
        if self.location is not None:
            item["locationType"] = self.location_type
            item["location"] = self.location
        body = {"errors": [item], "code": self.code, "message": self.message}
        if self.status is not None:
            body["status"] = self.status
        return {"error": body}


def invalid_parameter(location: str, message: str) -> GoogleError:
    return GoogleError(400, "invalidParameter", message, location=location)


def required_parameter(name: str) -> GoogleError:
    return GoogleError(400, "required", f"Required parameter: {name}", location=name)


def bad_request(message: str) -> GoogleError:
    return GoogleError(400, "badRequest", message)


_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}


def login_required() -> GoogleError:
    return GoogleError(401, "required", "Login Required", location="Authorization", location_type="header",
                       headers=_CHALLENGE)


def invalid_credentials() -> GoogleError:
    return GoogleError(401, "authError", "Invalid Credentials", location="Authorization", location_type="header",
                       headers=_CHALLENGE)


def insufficient_permissions(message: str = "User does not have sufficient permissions for this profile.") -> GoogleError:
    return GoogleError(403, "insufficientPermissions", message)


def daily_limit_exceeded(message: str) -> GoogleError:
    return GoogleError(403, "dailyLimitExceeded", message, domain="usageLimits")


def user_rate_limit_exceeded() -> GoogleError:
    return GoogleError(403, "userRateLimitExceeded", "User Rate Limit Exceeded", domain="usageLimits")


def backend_error() -> GoogleError:
    return GoogleError(503, "backendError", "Backend Error", headers=retry_after_header())


def internal_error() -> GoogleError:
    """An unexpected failure: Google's 500, never Django's HTML page. (`status` is what newer
    Google front ends add next to `code`; v3 clients read `code` and `reason`.)"""
    error = GoogleError(500, "internalServerError", "Internal Error")
    error.status = "INTERNAL"
    return error


# --- GA4 Data API ---------------------------------------------------------------------------

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",  # not a gRPC code: Google's front end answers 405 itself
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class Ga4Error(Exception):
    """A Data API error: `{"error": {"code", "message", "status"}}`."""

    def __init__(self, code: int, message: str, status: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.code, self.message = code, message
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")
        self.headers = headers or {}

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def ga4_invalid(message: str) -> Ga4Error:
    return Ga4Error(400, message)


def ga4_unauthenticated() -> Ga4Error:
    return Ga4Error(401, "Request is missing required authentication credential. Expected OAuth 2 access token, "
                    "login cookie or other valid authentication credential.", headers=_CHALLENGE)


def ga4_invalid_credentials() -> Ga4Error:
    return Ga4Error(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                    "login cookie or other valid authentication credential.", headers=_CHALLENGE)


def ga4_permission_denied(property_id: str) -> Ga4Error:
    return Ga4Error(403, f"User does not have sufficient permissions for this property. To learn more about "
                    f"Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id. "
                    f"Property: properties/{property_id}")


def ga4_exhausted(message: str) -> Ga4Error:
    return Ga4Error(429, message)


def ga4_unavailable() -> Ga4Error:
    return Ga4Error(503, "The service is currently unavailable.", headers=retry_after_header())


def ga4_internal() -> Ga4Error:
    return Ga4Error(500, "Internal error encountered.")


def from_v3(error: GoogleError) -> Ga4Error:
    """The GA4 form of a shared failure (authentication, permissions)."""
    return Ga4Error(error.code, error.message, headers=error.headers)


# --- failures no view handled ----------------------------------------------------------------
# The two APIs' paths (gacompat/urls.py). Django's own handlers (nowmetrix/errors.py) answer a
# failure on them that no view caught (the database away in a middleware, a request Django
# refuses before any view) with the error the views themselves give.
_GA4_PATH = re.compile(r"^/v1(alpha|beta)/properties/")
_V3_PATH_PREFIX = "/analytics/"


def unavailable_for(path: str) -> GoogleError | Ga4Error | None:
    """The 503 of the GA API `path` belongs to (as its view answers it), None off the GA paths."""
    if _GA4_PATH.match(path):
        return ga4_unavailable()
    return backend_error() if path.startswith(_V3_PATH_PREFIX) else None


def bad_request_for(path: str, message: str) -> GoogleError | Ga4Error | None:
    """The 400 of the GA API `path` belongs to, None off the GA paths."""
    if _GA4_PATH.match(path):
        return ga4_invalid(message)
    return bad_request(message) if path.startswith(_V3_PATH_PREFIX) else None
