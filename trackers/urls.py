from django.urls import path

from trackers import api_views

app_name = "trackers"

urlpatterns = [
    path("api/me", api_views.MeView.as_view(), name="api-me"),
]
