"""A stand-in for a Redis too old for NowMetrix, on 127.0.0.1: it speaks just enough of the
Redis protocol (HELLO, PING, INFO, and OK to the rest) to report `redis_version:6.2.14`. No such
binary can be installed next to Redis 7, and the version check only reads INFO."""

from __future__ import annotations

import socketserver
import threading
from contextlib import contextmanager

VERSION = "6.2.14"


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        while line := self.rfile.readline():
            if not line.startswith(b"*"):
                return
            words = []
            for _ in range(int(line[1:])):
                size = int(self.rfile.readline()[1:])
                words.append(self.rfile.read(size + 2)[:-2].decode().upper())
            if words[0] == "HELLO":  # redis-py speaks RESP3 when the server agrees
                self.wfile.write(b"%2\r\n+proto\r\n:3\r\n+version\r\n+" + VERSION.encode() + b"\r\n")
            elif words[0] == "PING":
                self.wfile.write(b"+PONG\r\n")
            elif words[0] == "INFO":
                body = f"# Server\r\nredis_version:{VERSION}\r\n# Persistence\r\nloading:0\r\n".encode()
                self.wfile.write(b"$%d\r\n%s\r\n" % (len(body), body))
            else:
                self.wfile.write(b"+OK\r\n")


@contextmanager
def old_redis():
    """Yields the URL of a server that says it is Redis 6.2; stops it afterwards."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.server_address[1]}/0"
    finally:
        server.shutdown()
        server.server_close()
