"""The GA-compatible endpoints' OpenAPI schema and its Swagger page. Public: no authentication
runs on them, so whatever `Authorization` header a request carries (a GA client's token, a bad
one) they answer the same."""

from __future__ import annotations

from functools import lru_cache

from django.http import JsonResponse
from django.views import View
from gacompat import openapi
from realtime.api.docs_page import SwaggerPageView


@lru_cache(maxsize=1)
def _schema() -> dict:
    return openapi.schema()


class GaSchemaView(View):
    """`GET /ga/openapi.json`: the OpenAPI 3 schema of the v3 and GA4 endpoints."""

    http_method_names = ["get", "head"]

    def get(self, request):
        return JsonResponse(_schema(), json_dumps_params={"indent": 1})


# Swagger UI pointed at the schema above.
ga_docs_view = SwaggerPageView.as_view(url="/ga/openapi.json")
