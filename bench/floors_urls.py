"""URLconf of the bare Django floor (see bench/floors.py): one sync JsonResponse view."""

from django.conf import settings
from django.http import JsonResponse
from django.urls import path

_DUMPS = {"separators": (",", ":"), "ensure_ascii": False}


def realtime_floor(request):
    return JsonResponse(settings.NMBENCH_FLOOR_DATA, json_dumps_params=_DUMPS)


urlpatterns = [path("v1/realtime", realtime_floor)]
