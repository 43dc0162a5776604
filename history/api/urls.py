"""Routes of the history endpoints (included ahead of `realtime.api.urls`, whose catch-all
answers unknown /v1 paths)."""

from django.urls import path

from history.api import views

urlpatterns = [
    path("v1/overview", views.OverviewView.as_view(), name="api-overview"),
    path("v1/recap", views.RecapView.as_view(), name="api-recap"),
    path("v1/charts", views.RecapView.as_view(), name="api-charts"),
    path("v1/pace", views.PaceView.as_view(), name="api-pace"),
]
