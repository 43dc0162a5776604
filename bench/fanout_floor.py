"""The fan-out floor: a bare WebSocket server (the `websockets` library, no Django, Channels or
channel layer) that sends each frame it is given to every connected client with
`websockets.broadcast`, which writes one frame to many sockets as cheaply as this library can.

`python -m bench.fanout_floor PORT`. A client on `/control` publishes: every text message it
sends is broadcast to all the other clients. Others get a one-line frame on connect, as a
dashboard gets its snapshot, and are otherwise only written to. No permessage-deflate, as the
uvicorn configuration (devstack.processes.UVICORN_ARGS)."""

from __future__ import annotations

import asyncio
import resource
import sys

from websockets.asyncio.server import broadcast, serve

HELLO = '{"type":"snapshot","seq":0}'


async def main(port: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    clients: set = set()

    async def handler(ws):
        if ws.request.path == "/control":
            async for message in ws:
                broadcast(clients, message)
            return
        clients.add(ws)
        try:
            await ws.send(HELLO)
            await ws.wait_closed()
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None, max_size=None, ping_interval=None,
                     max_queue=None, backlog=4096):
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
