"""WebSocket routes (mounted in `nowmetrix/asgi.py` behind the Origin check and the session)."""

from channels.security.websocket import WebsocketDenier
from django.urls import path, re_path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/trackers/<str:public_id>/", consumers.TrackerConsumer.as_asgi()),
    path("ws/overview/", consumers.OverviewConsumer.as_asgi()),
    # Any other path: the handshake is refused (403). Without a route, Channels' router raises
    # and the server answers the handshake with a 500.
    re_path(r"", WebsocketDenier.as_asgi()),
]
