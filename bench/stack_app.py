"""The real application, as `nowmetrix.asgi:application`, plus a count of the hits each server
process accepted, by kind, written when the lifespan's shutdown completes (after the final flush).

The count is the ground truth for "zero hits lost": the load generator cannot know about
requests still in flight when it stops, the server can. The instrumentation is one counter
increment per hit; the served application object is the real one."""

from __future__ import annotations

import json
import os
from collections import Counter

from nowmetrix.asgi import application

_accepted: Counter = Counter()
_ingestor = application.ingestor
_accept = _ingestor.accept_nowait


def _counting_accept(hit, client):
    reason = _accept(hit, client)
    if reason is None:
        _accepted[hit.kind] += 1
    return reason


_ingestor.accept_nowait = _counting_accept


def _write_counts() -> None:
    folder = os.environ.get("NMBENCH_STATS_DIR")
    if folder:
        with open(os.path.join(folder, f"accepted-{os.getpid()}.json"), "w") as f:
            json.dump({"accepted": dict(_accepted), "ingestor_accepted": _ingestor.accepted,
                       "ingestor_dropped": _ingestor.dropped}, f)


_lifespan = application.lifespan


async def _lifespan_writing_counts(scope, receive, send):
    # Not atexit: uvicorn re-raises SIGTERM after its graceful shutdown, so exit hooks never run.
    async def _send(message):
        if message["type"] == "lifespan.shutdown.complete":
            _write_counts()
        await send(message)

    await _lifespan(scope, receive, _send)


application.lifespan = _lifespan_writing_counts
