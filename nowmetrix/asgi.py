"""ASGI entry point: ingest ahead of Django, Django for pages and the API, Channels for WebSockets."""

import asyncio
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nowmetrix.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()  # sets Django up before importing app code

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from realtime.api.fastpath import ApiFastPath  # noqa: E402
from realtime.ingest.asgi import IngestFrontApp  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402
from realtime.ws_database_down import CloseWhenDatabaseDown  # noqa: E402

from nowmetrix.startup import process_started  # noqa: E402


class NowMetrixApp(IngestFrontApp):
    """The ingest front app, whose lifespan first runs the process start hook (Redis version
    check, settings republish) in a thread, as it queries the database."""

    async def lifespan(self, scope, receive, send):
        await asyncio.to_thread(process_started, "web")
        return await super().lifespan(scope, receive, send)


protocols = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            CloseWhenDatabaseDown(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
    }
)

# The ingest endpoints (/collect, /pixel.gif, /nm.js) and the lifespan (the batch flusher)
# are answered by a lean ASGI app before any Django machinery runs; microcache hits of the
# realtime API by its fast path; everything else falls through to Django and Channels.
application = NowMetrixApp(fallback=ApiFastPath(fallback=protocols))
