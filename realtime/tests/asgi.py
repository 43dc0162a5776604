"""Call an ASGI app in-process (no server): the real ingest app, its real Ingestor and Redis."""

from __future__ import annotations

import asyncio


async def _call(app, method, path, body, headers, query, client):
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
        "raw_path": path.encode(), "query_string": query, "headers": [(k.lower(), v) for k, v in headers],
        "client": client, "server": ("testserver", 80), "scheme": "http",
    }
    sent = []
    chunks = [body]

    async def receive():
        if chunks:
            return {"type": "http.request", "body": chunks.pop(), "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    if hasattr(app, "ingestor"):
        await app.ingestor.flush()
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def call(app, method: str, path: str, body: bytes = b"", headers=(), query: bytes = b"",
         client=("127.0.0.1", 50000)):
    """Returns (status, headers as a bytes dict, body) after flushing the app's batch."""
    return asyncio.run(_call(app, method, path, body, list(headers), query, client))
