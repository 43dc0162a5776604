"""WebSocket routes (mounted in `nowmetrix/asgi.py` behind the Origin check and the session)."""

from django.urls import path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/trackers/<str:public_id>/", consumers.TrackerConsumer.as_asgi()),
    path("ws/overview/", consumers.OverviewConsumer.as_asgi()),
]
