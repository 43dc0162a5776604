"""URL map: web admin, the API, the dashboards. Ingest endpoints are served ahead of Django
by the lean ASGI app in `realtime.ingest.asgi` (see `nowmetrix/asgi.py`)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("", include("trackers.auth_urls")),
    path("", include("trackers.urls")),
    path("", include("realtime.urls")),
    path("", include("history.urls")),
    path("", include("history.api.urls")),  # ahead of realtime.api.urls' catch-all for /v1/
    path("", include("realtime.api.urls")),
    path("", include("gacompat.urls")),
    path("", include("connectors.urls")),
]

# Errors no view handled: 503 in each audience's format when the database is away, and 400s Django
# raises before a view (too many parameters), in the API's own format (nowmetrix/errors.py).
handler400 = "nowmetrix.errors.bad_request"
handler500 = "nowmetrix.errors.server_error"
