"""Dashboard clients for the fan-out bench, in a process of their own (`ClientProcess`): one
asyncio process holds up to CLIENTS_PER_PROCESS WebSockets, so several of them stand in for
thousands of screens without one Python loop's reading becoming the measurement.

Each socket reads every frame; while recording it notes the frame's `seq` (read from the first
bytes: `{"type":"...","seq":N`), the wall-clock time of receipt and the payload's size. The
parent compares receipt times with its own publication times (same machine, same clock)."""

from __future__ import annotations

import asyncio
import multiprocessing
import re
import time

CLIENTS_PER_PROCESS = 1_000
CONNECT_CONCURRENCY = 50
_SEQ = re.compile(rb'"seq":(\d+)')


class ClientProcess:
    """A child process holding `count` dashboard sockets; commands over a pipe."""

    def __init__(self):
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_main, args=(child,), daemon=True)
        self.proc.start()

    def send(self, *command) -> None:
        self.conn.send(command)

    def reply(self, timeout: float = 300.0):
        if not self.conn.poll(timeout):
            raise TimeoutError("a fan-out client process did not answer")
        return self.conn.recv()

    def close(self) -> None:
        try:
            self.send("quit")
            self.proc.join(10)
        finally:
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join()


def _main(conn) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * CLIENTS_PER_PROCESS)), hard))
    asyncio.run(_serve(conn))


async def _serve(conn) -> None:
    loop = asyncio.get_running_loop()
    sockets: list = []
    readers: list[asyncio.Task] = []
    records: list[list] = []  # per socket: [(seq, received_at, bytes)...] while recording
    state = {"recording": False, "last_at": 0.0}

    async def read(ws, i):
        try:
            async for message in ws:
                state["last_at"] = time.time()
                if state["recording"]:
                    data = message if isinstance(message, bytes) else message.encode()
                    found = _SEQ.search(data, 0, 64)
                    records[i].append((int(found.group(1)) if found else -1, time.time(), len(data)))
        except Exception:  # noqa: BLE001 - a dropped client shows as frames missing
            pass

    while True:
        command = await loop.run_in_executor(None, conn.recv)
        if command[0] == "connect":
            _, url, headers, count = command
            failures = await _connect(url, headers, count, sockets)
            records[:] = [[] for _ in sockets]
            readers[:] = [asyncio.create_task(read(ws, i)) for i, ws in enumerate(sockets)]
            conn.send(("connected", len(sockets), failures[:5]))
        elif command[0] == "record":
            for per_socket in records:
                per_socket.clear()
            state["recording"] = True
            conn.send(("recording",))
        elif command[0] == "stop":
            state["recording"] = False
            conn.send(("records", [list(r) for r in records]))
        elif command[0] == "quiet":  # wait until nothing arrived for `secs` (at most a minute)
            _, secs = command
            deadline = time.time() + 60
            while time.time() - state["last_at"] < secs and time.time() < deadline:
                await asyncio.sleep(0.1)
            conn.send(("quiet", time.time() - state["last_at"] >= secs))
        elif command[0] == "disconnect":
            for task in readers:
                task.cancel()
            await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
            sockets.clear()
            conn.send(("disconnected",))
        elif command[0] == "quit":
            return


async def _connect(url: str, headers: dict, count: int, sockets: list) -> list[str]:
    from websockets.asyncio.client import connect

    sem = asyncio.Semaphore(CONNECT_CONCURRENCY)
    failures: list[str] = []

    async def open_one():
        async with sem:
            try:
                ws = await connect(url, additional_headers=headers, open_timeout=60, max_size=None, ping_interval=None,
                                   compression="deflate")  # offered, as browsers do
                await asyncio.wait_for(ws.recv(decode=False), 30)  # the initial snapshot
                sockets.append(ws)
            except Exception as exc:  # noqa: BLE001 - a harness counts any failed client and goes on
                failures.append(type(exc).__name__ + ": " + str(exc)[:120])

    await asyncio.gather(*(open_one() for _ in range(count)))
    return failures
