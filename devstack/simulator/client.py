"""A tiny keep-alive HTTP/1.1 client on asyncio streams, for the simulator's beacons and pixels."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit


class HttpPool:
    """Keep-alive HTTP/1.1 connections to one server, one request at a time on each. Raw
    asyncio streams: no dependency to add, and a beacon is a small request with a small reply."""

    MAX_IDLE_SECS = 2.0  # uvicorn closes idle keep-alive connections after 5 s: never reuse one near that

    def __init__(self, base_url: str, size: int, timeout: float = 10.0):
        parts = urlsplit(base_url)
        self.host, self.ssl, self.authority = parts.hostname, parts.scheme == "https", parts.netloc
        self.port = parts.port or (443 if self.ssl else 80)
        self.timeout, self.slots, self.idle = timeout, asyncio.Semaphore(size), []

    async def request(self, method: str, target: str, headers: dict[str, str], body: bytes = b"") -> int:
        async with self.slots:
            conn = self._take()
            try:
                return await asyncio.wait_for(self._exchange(conn, method, target, headers, body), self.timeout)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                if conn is None or getattr(exc, "partial", b""):
                    raise
            # A reused connection the server had just closed without a reply: it never read the
            # request, so sending it again on a fresh connection cannot count it twice.
            return await asyncio.wait_for(self._exchange(None, method, target, headers, body), self.timeout)

    def _take(self):
        while self.idle:
            reader, writer, since = self.idle.pop()
            if time.monotonic() - since < self.MAX_IDLE_SECS:
                return reader, writer
            writer.close()
        return None

    async def _exchange(self, conn, method, target, headers, body) -> int:
        reader, writer = conn or await asyncio.open_connection(self.host, self.port, ssl=self.ssl or None)
        try:
            lines = [f"{method} {target} HTTP/1.1", f"Host: {self.authority}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            if method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split()[1])
            reply = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
            await reader.readexactly(int(reply.get("content-length", "0")))
        except BaseException:
            writer.close()
            raise
        if reply.get("connection", "").lower() != "close" and "content-length" in reply:
            self.idle.append((reader, writer, time.monotonic()))
        else:
            writer.close()
        return status

    def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()
        self.idle.clear()


