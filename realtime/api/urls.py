"""The /v1 API and its documentation."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from realtime.api import public, stream, views
from realtime.api.not_found import NotFoundView

urlpatterns = [
    path("v1/realtime", views.RealtimeView.as_view(), name="api-realtime"),
    path("v1/sources", views.SourcesView.as_view(), name="api-sources"),
    path("v1/realtime/stream", stream.RealtimeStreamView.as_view(), name="api-realtime-stream"),
    path("v1/public/active", public.PublicActiveView.as_view(), name="api-public-active"),
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("docs/api", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^v1/.*$", NotFoundView.as_view(), name="api-not-found"),
]
