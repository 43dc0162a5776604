"""History pages of the dashboard. The API's routes live in `history.api.urls`."""

from django.urls import path

from history import views

app_name = "history"

urlpatterns = [
    path("trackers/<str:public_id>/pace", views.tracker_pace, name="tracker-pace"),
    path("trackers/<str:public_id>/pace.json", views.tracker_pace_json, name="tracker-pace-json"),
    path("trackers/<str:public_id>/recap", views.tracker_recap, name="tracker-recap"),
]
