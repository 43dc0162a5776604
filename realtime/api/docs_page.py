"""The Swagger UI page of an OpenAPI schema (`/docs/api`, `/docs/ga`): drf-spectacular's split
view, whose start-up script is served as a file, since the CSP refuses inline scripts. Public: no
DRF authentication runs, so a bad Bearer token cannot turn the page into a 401."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SwaggerPageView(SpectacularSwaggerSplitView):
    # GET and HEAD only: DRF would answer OPTIONS with its metadata through the page's HTML
    # renderer, which has no template for it (a 500); any other method is a 405.
    http_method_names = ["get", "head"]
    authentication_classes: list = []
    permission_classes = [AllowAny]
