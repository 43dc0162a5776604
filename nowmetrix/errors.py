"""What Django answers for an error no view handled (`handler500`, `handler400`), by audience.

When the database is away, every page and API that needs it answers 503 in its own format: the
`/v1` and `/api` envelope, Google's envelope on the Google Analytics paths (the error
`gacompat.errors` gives for the path, as the GA views do), a plain page (no layout: the
layout itself reads the database) everywhere else. Any other unhandled error keeps
Django's 500, in JSON under the APIs."""

from __future__ import annotations

import sys

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.views.defaults import ERROR_PAGE_TEMPLATE

from gacompat import errors as ga_errors
from realtime.api.errors import DATABASE_UNAVAILABLE, ServiceUnavailable, error_body, retry_after_header

_OWN_API_PREFIXES = ("/v1/", "/api/")
UNAVAILABLE_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Temporarily unavailable</title></head>"
    "<body><h1>Temporarily unavailable</h1><p>NowMetrix cannot reach its database right now. "
    "Please try again in a minute.</p></body></html>\n"
)
# Django's own 400 and 500 views take a CSRF token first (`requires_csrf_token`), which reads the
# form body again: a body Django refused (a form not in UTF-8) raised once more inside them and
# reached the server as a bare 500. These pages need no token and read nothing of the request.
BAD_REQUEST_PAGE = ERROR_PAGE_TEMPLATE % {"title": "Bad Request (400)", "details": ""}
SERVER_ERROR_PAGE = ERROR_PAGE_TEMPLATE % {"title": "Server Error (500)", "details": ""}


def unavailable_response(path: str) -> HttpResponse:
    """The 503 for a request that needs the database while it cannot be reached."""
    retry = retry_after_header()
    ga = ga_errors.unavailable_for(path)
    if ga is not None:  # its headers carry Retry-After already
        return JsonResponse(ga.body(), status=ga.code, headers=ga.headers)
    if path.startswith(_OWN_API_PREFIXES):
        error = ServiceUnavailable()
        return JsonResponse(error_body(error.code, error.message), status=503, headers=retry)
    return HttpResponse(UNAVAILABLE_PAGE, status=503, content_type="text/html; charset=utf-8", headers=retry)


def server_error(request, *args, **kwargs) -> HttpResponse:
    """`handler500`: Django calls it inside the `except` that caught the error, so the error is
    at hand; it may have come from a view, a middleware or a template."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return unavailable_response(request.path)
    if request.path.startswith(_OWN_API_PREFIXES):
        return JsonResponse(error_body("server_error", "The request could not be handled."), status=500)
    return HttpResponseServerError(SERVER_ERROR_PAGE)


def bad_request(request, exception, *args, **kwargs) -> HttpResponse:
    """`handler400`: a request Django refuses before any view reads it (more query or form fields
    than `DATA_UPLOAD_MAX_NUMBER_FIELDS`, a body past `DATA_UPLOAD_MAX_MEMORY_SIZE`) gets the
    API's own error format, not Django's HTML page."""
    message = "The request has too many parameters or is too large."
    ga = ga_errors.bad_request_for(request.path, message)
    if ga is not None:
        return JsonResponse(ga.body(), status=ga.code, headers=ga.headers)
    if request.path.startswith(_OWN_API_PREFIXES):
        return JsonResponse(error_body("invalid_parameter", message), status=400)
    return HttpResponseBadRequest(BAD_REQUEST_PAGE)
