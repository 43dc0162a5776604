"""One value per query parameter on `/v1`.

`site=A&site=B` is ambiguous: Django reads the last value, a naive parser the first. Rather than
pick one, every `/v1` path answers 400 `invalid_parameter`, here for Django and in the ASGI fast
path (which falls through to Django for such a request), so both answer alike."""

from __future__ import annotations

from django.http import JsonResponse

from realtime.api.errors import InvalidParameter, error_body

API_PREFIX = "/v1/"


class RepeatedParameterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            name = next((key for key, values in request.GET.lists() if len(values) > 1), None)
            if name is not None:
                error = InvalidParameter(f"The {name[:40]} parameter must be given once.")
                return JsonResponse(error_body(error.code, error.message), status=400)
        return self.get_response(request)
