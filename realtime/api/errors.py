"""The API's error envelope: `{"error": {"code", "message"}}`, one handler for every failure."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response


class ApiError(exceptions.APIException):
    """An error with a documented code. Subclasses fix status, code and message."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"
    message = "The request is invalid."

    def __init__(self, message: str | None = None, headers: dict[str, str] | None = None):
        self.message = message or self.message
        self.headers = headers or {}
        super().__init__(self.message, self.code)


class SiteRequired(ApiError):
    code, message = "site_required", "The site parameter is required."


class InvalidParameter(ApiError):
    code, message = "invalid_parameter", "A parameter is invalid."


class MissingToken(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code, message = "missing_token", "The Authorization header is missing."


class InvalidToken(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code, message = "invalid_token", "Bearer token is invalid or revoked."


class SiteNotAuthorized(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    code, message = "site_not_authorized", "This key has no access to that site."


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    code, message = "not_found", "There is no such API endpoint."


class RateLimitExceeded(ApiError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code, message = "rate_limit_exceeded", "The rate limit of this API key is exceeded."


# How long every 503 (the API's, the GA APIs', the pages') asks clients to wait: a Redis or
# database restart takes seconds. The one owner of the value; see retry_after_header().
UNAVAILABLE_RETRY_AFTER_SECS = 5


def retry_after_header() -> dict[str, str]:
    """The `Retry-After` header every 503 carries."""
    return {"Retry-After": str(UNAVAILABLE_RETRY_AFTER_SECS)}


class _Unavailable(ApiError):
    """A 503: a backend cannot be reached; the client should retry after Retry-After."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE

    def __init__(self, message: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message, {**retry_after_header(), **(headers or {})})


class RedisUnavailable(_Unavailable):
    code, message = "redis_unavailable", "The realtime backend is unavailable, please retry shortly."


class ServiceUnavailable(_Unavailable):
    """The database cannot be reached and the request cannot be answered without it."""

    code, message = "service_unavailable", "The service is temporarily unavailable, please retry shortly."


# What a database that went away raises (a refused connection, a dropped one, a failover).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


# Every code the envelope carries: the documented ones, and DRF's own failures (a 405) as
# `bad_request` or `server_error` (see exception_handler).
def _documented(cls: type[ApiError]) -> set[type[ApiError]]:
    subclasses = set(cls.__subclasses__())
    return subclasses.union(*(_documented(sub) for sub in subclasses))


ERROR_CODES = sorted({error.code for error in _documented(ApiError) if not error.__name__.startswith("_")}
                     | {"bad_request", "server_error"})


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ERROR_CODES)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """The envelope, for the OpenAPI schema."""

    error = ErrorDetailSerializer()


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _translate(exc: Exception) -> ApiError | None:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, exceptions.NotAuthenticated):
        return MissingToken()
    if isinstance(exc, exceptions.AuthenticationFailed):
        return InvalidToken()
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return NotFound()
    if isinstance(exc, exceptions.PermissionDenied):
        return SiteNotAuthorized()
    if isinstance(exc, exceptions.Throttled):
        return RateLimitExceeded()
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return ServiceUnavailable()
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover
        return None
    if isinstance(exc, (RedisConnectionError, RedisTimeoutError)):
        return RedisUnavailable()
    return None


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Map every API failure to the documented envelope; anything else stays DRF's (then a 500)."""
    error = _translate(exc)
    if error is None:
        # Imported here: rest_framework.views imports this module's neighbours at load time.
        from rest_framework.views import exception_handler as drf_exception_handler

        response = drf_exception_handler(exc, context)
        if response is not None:
            detail = response.data.get("detail") if isinstance(response.data, dict) else None
            response.data = error_body("bad_request" if response.status_code < 500 else "server_error",
                                       str(detail or "The request could not be handled."))
        return response
    headers = dict(getattr(error, "headers", {}) or {})
    if error.status_code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return Response(error_body(error.code, error.message), status=error.status_code, headers=headers)
