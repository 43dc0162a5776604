"""Google's URL layouts, so that a client pointed at NowMetrix's base URL finds each method:
`<base>/analytics/v3/data/realtime` and `<base>/v1beta/properties/<id>:runRealtimeReport`; their
OpenAPI schema at `/ga/openapi.json`, its Swagger page at `/docs/ga`."""

from django.urls import path, re_path

from gacompat import views_docs, views_ga4, views_v3

app_name = "gacompat"

urlpatterns = [
    path("analytics/v3/data/realtime", views_v3.RealtimeGetView.as_view(), name="v3-realtime"),
    re_path(r"^(?P<version>v1beta|v1alpha)/properties/(?P<property_id>[^/:]*):runRealtimeReport$",
            views_ga4.RunRealtimeReportView.as_view(), name="ga4-realtime"),
    path("ga/openapi.json", views_docs.GaSchemaView.as_view(), name="ga-schema"),
    path("docs/ga", views_docs.ga_docs_view, name="ga-docs"),
]
