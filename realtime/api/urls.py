"""The /v1 API, `/api/me`, and their documentation."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

from realtime.api import me, public, stream, views
from realtime.api.docs_page import SwaggerPageView
from realtime.api.not_found import NotFoundView

PUBLIC = {"authentication_classes": [], "permission_classes": [AllowAny]}

urlpatterns = [
    path("v1/realtime", views.RealtimeView.as_view(), name="api-realtime"),
    path("v1/sources", views.SourcesView.as_view(), name="api-sources"),
    path("v1/realtime/stream", stream.RealtimeStreamView.as_view(), name="api-realtime-stream"),
    path("api/me", me.MeView.as_view(), name="api-me"),
    path("v1/public/active", public.PublicActiveView.as_view(), name="api-public-active"),
    # Public whatever Authorization header comes: no authentication runs, so a bad key is no 401.
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(**PUBLIC), name="api-schema"),
    path("docs/api", SwaggerPageView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^v1/.*$", NotFoundView.as_view(), name="api-not-found"),
]
