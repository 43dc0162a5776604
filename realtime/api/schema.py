"""Response shapes of the /v1 API, for the OpenAPI schema (responses are pre-serialized
snapshots; these serializers describe them, they never encode them)."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from realtime.api.errors import ErrorSerializer

# `site` is stripped of whitespace (Python's str.isspace() set, listed here so that every regex
# dialect reads it alike) and then must not be empty: a value without one other character is 400.
SITE_SCHEMA = {"type": "string", "minLength": 1,
               "pattern": r"[^\t\n\u000b\f\r\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"}
PAGE_PATH_MAX_CHARS = 2048
PAGE_PATH_SCHEMA = {"type": "string", "minLength": 1, "maxLength": PAGE_PATH_MAX_CHARS, "pattern": "^/"}


class SourceChildSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class SourceRowSerializer(serializers.Serializer):
    medium = serializers.CharField()
    source = serializers.CharField()
    count = serializers.IntegerField(help_text="Active users from this source.")
    percent = serializers.IntegerField(help_text="Share of the total, rounded half up.")
    children = SourceChildSerializer(many=True)


class DevicesSerializer(serializers.Serializer):
    mobile = serializers.IntegerField(help_text="Phones and tablets.")
    desktop = serializers.IntegerField()


class TopPageSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Path.")
    host = serializers.CharField()
    title = serializers.CharField(help_text="Falls back to the path.")
    og_image = serializers.CharField(help_text="Open Graph image URL or empty string.")
    realtime_users = serializers.IntegerField()
    pageviews_today = serializers.IntegerField()
    sources = SourceRowSerializer(many=True)


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2; ZZ when unknown.")
    name = serializers.CharField()
    count = serializers.IntegerField()


class CitySerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class RealtimeSerializer(serializers.Serializer):
    site = serializers.CharField()
    updated_at = serializers.CharField(help_text="UTC, ISO 8601 with whole seconds and +00:00.")
    total_realtime = serializers.IntegerField()
    total_pageviews_today = serializers.IntegerField()
    total_unique_visitors_today = serializers.IntegerField(help_text="HyperLogLog estimate.")
    devices = DevicesSerializer()
    top_pages = TopPageSerializer(many=True, help_text="Up to 50, by realtime_users descending.")
    countries = CountrySerializer(many=True)
    cities = CitySerializer(many=True, help_text="Up to 100.")
    sources_top5 = SourceRowSerializer(many=True)


class SourcesSerializer(serializers.Serializer):
    site = serializers.CharField()
    updated_at = serializers.CharField()
    total_visitors = serializers.IntegerField()
    sources = SourceRowSerializer(many=True)


class PublicActiveSerializer(serializers.Serializer):
    site = serializers.CharField()
    url = serializers.CharField()
    realtime_users = serializers.IntegerField()


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


BAD_REQUEST = error("`site_required`: the site parameter is missing or empty; `invalid_parameter`: a parameter "
                    "is malformed or given more than once.")
UNAUTHORIZED = error("`missing_token` or `invalid_token`.")
FORBIDDEN = error("`site_not_authorized`: no access to that site (also for sites that do not exist).")
RATE_LIMITED = error("`rate_limit_exceeded`; see Retry-After.")
UNAVAILABLE = error("`redis_unavailable`: the realtime backend is down; `service_unavailable`: the database is "
                    "down and the key was not verified recently (see Retry-After).")
