"""How the API's authentication schemes appear in the OpenAPI schema (drf-spectacular cannot
guess custom classes, and warns about each view using them). Loaded by TrackersConfig.ready."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "realtime.api.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "nm_<token>",
            "description": "An account's API key: `Authorization: Bearer nm_...`.",
        }


class AppSessionAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "realtime.api.authentication.AppSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
