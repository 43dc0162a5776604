"""Pages that show live data. The API's routes live in `realtime.api.urls`."""

from django.urls import path

from realtime import views

app_name = "realtime"

urlpatterns = [
    path("live/", views.overview, name="overview"),
    path("trackers/<str:public_id>/live", views.tracker_live, name="tracker-live"),
    path("trackers/<str:public_id>/drops", views.tracker_drops, name="tracker-drops"),
]
