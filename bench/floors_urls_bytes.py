"""URLconf of the bare Django bytes floor (see bench/floors.py): one sync view returning the
pre-serialized body, so Django's request cycle is measured without any JSON encoding."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def realtime_bytes_floor(request):
    return HttpResponse(settings.NMBENCH_FLOOR_BYTES, content_type="application/json")


urlpatterns = [path("v1/realtime", realtime_bytes_floor)]
