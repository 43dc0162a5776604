"""Response shapes of the history endpoints, for the OpenAPI schema."""

from rest_framework import serializers


class DailySerializer(serializers.Serializer):
    date = serializers.CharField(help_text="YYYY-MM-DD, tracker-local.")
    pageviews = serializers.IntegerField()
    visits = serializers.IntegerField()


# `from` is a Python keyword: these two are built with type() so that it can be a field name.
OverviewRangeSerializer = type("OverviewRangeSerializer", (serializers.Serializer,), {
    "from": serializers.CharField(),
    "to": serializers.CharField(),
    "days": serializers.IntegerField(help_text="Rows returned; fewer than asked when history is shorter."),
})


class TotalsSerializer(serializers.Serializer):
    pageviews = serializers.IntegerField()
    visits = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    site = serializers.CharField()
    timezone = serializers.CharField()
    range = OverviewRangeSerializer()
    daily = DailySerializer(many=True)
    totals = TotalsSerializer()


RecapRangeSerializer = type("RecapRangeSerializer", (serializers.Serializer,), {
    "from": serializers.CharField(),
    "to": serializers.CharField(),
    "label": serializers.CharField(help_text="e.g. `Last 30 Days`."),
    "days": serializers.IntegerField(),
})


class LimitsSerializer(serializers.Serializer):
    min_date = serializers.CharField(help_text="First day of the tracker's history.")
    max_date = serializers.CharField(help_text="Today, tracker-local.")
    max_days = serializers.IntegerField(allow_null=True, help_text="Longest custom range.")


class SearchSerializer(serializers.Serializer):
    query = serializers.CharField()


class SummarySerializer(serializers.Serializer):
    total_pageviews = serializers.IntegerField()
    total_visits = serializers.IntegerField()
    pages_per_visitor = serializers.FloatField(help_text="Pageviews per visit, rounded half up to one decimal.")


class RecapPageSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    title = serializers.CharField(help_text="Falls back to the path.")
    author = serializers.CharField()
    pubdate = serializers.CharField()
    url = serializers.CharField(help_text="Path.")
    url_full = serializers.CharField()
    url_id = serializers.CharField(help_text="Stable opaque 32-hex id of the page.")
    thumbnail = serializers.CharField(help_text="Open Graph image URL or empty string.")
    pageviews = serializers.IntegerField()
    visits = serializers.IntegerField(help_text="Visits that began on this page.")


class RecapSerializer(serializers.Serializer):
    site = serializers.CharField()
    preset = serializers.CharField()
    timezone = serializers.CharField()
    range = RecapRangeSerializer()
    limits = LimitsSerializer()
    search = SearchSerializer()
    daily = DailySerializer(many=True)
    summary = SummarySerializer()
    top_pages = RecapPageSerializer(many=True)


class PaceTodaySerializer(serializers.Serializer):
    date = serializers.CharField()
    pageviews = serializers.IntegerField()
    visits = serializers.IntegerField()


class PaceYesterdaySerializer(PaceTodaySerializer):
    pageviews_same_time = serializers.IntegerField(help_text="Up to the same local time of day.")


class IntervalSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="HH:MM, local.")
    today = serializers.IntegerField(allow_null=True, help_text="null for slots still in the future.")
    yesterday = serializers.IntegerField()


class PaceSerializer(serializers.Serializer):
    site = serializers.CharField()
    updated_at = serializers.CharField()
    timezone = serializers.CharField()
    interval_minutes = serializers.IntegerField()
    today = PaceTodaySerializer()
    yesterday = PaceYesterdaySerializer()
    pace_percent = serializers.IntegerField(allow_null=True)
    projected_pageviews = serializers.IntegerField()
    intervals = IntervalSerializer(many=True)
