"""The floors the stack is measured against, served by the same uvicorn configuration.

- `gif_app`: a bare ASGI app answering every request with the ingest pixel (it drains a POST
  body first, as the ingest app does). Nothing can serve a hit faster under this server.
- `bytes_app`: a bare ASGI app answering every request with the bytes of `NMBENCH_BODY_FILE`
  as JSON (the `/v1/realtime` body captured from the real API).
- `django_app`: Django's ASGI handler with no middleware and one sync view returning a
  `JsonResponse` of the same data, serialized the way the API serializes it (same bytes).
- `django_bytes_app`: the same Django, its view returning the pre-serialized bytes in an
  `HttpResponse`: Django's request cycle without the JSON encoding.
"""

from __future__ import annotations

import json
import os

from realtime.ingest.asgi import PIXEL_GIF

_GIF_HEADERS = [(b"content-type", b"image/gif"), (b"cache-control", b"no-store"),
                (b"content-length", str(len(PIXEL_GIF)).encode())]


async def _drain(receive) -> None:
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        more = message.get("more_body", False)


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def gif_app(scope, receive, send):
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    await _drain(receive)
    await send({"type": "http.response.start", "status": 200, "headers": _GIF_HEADERS})
    await send({"type": "http.response.body", "body": PIXEL_GIF})


def _body() -> bytes:
    with open(os.environ["NMBENCH_BODY_FILE"], "rb") as f:
        return f.read()


class BytesApp:
    def __init__(self):
        self.body = None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        if self.body is None:
            self.body = _body()
        await _drain(receive)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(self.body)).encode())]})
        await send({"type": "http.response.body", "body": self.body})


bytes_app = BytesApp()


def _django_app(urlconf: str):
    """Configured on first import by uvicorn only: the project's settings are not loaded."""
    from django.conf import settings

    data = json.loads(_body())
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-floor-not-secret"),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=urlconf,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
        DEFAULT_CHARSET="utf-8",
        NMBENCH_FLOOR_DATA=data,
        NMBENCH_FLOOR_BYTES=_body(),
    )
    from django.core.asgi import get_asgi_application

    django_app = get_asgi_application()

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":  # Django's handler refuses the lifespan protocol
            return await _lifespan(receive, send)
        return await django_app(scope, receive, send)

    return app


_django = None


def __getattr__(name):
    global _django
    if name in ("django_app", "django_bytes_app"):
        if _django is None:
            _django = _django_app("bench.floors_urls" if name == "django_app" else "bench.floors_urls_bytes")
        return _django
    raise AttributeError(name)
