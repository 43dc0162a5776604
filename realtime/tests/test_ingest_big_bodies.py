"""A request with a big body to an ingest endpoint gets a whole HTTP answer, read off a raw
socket as a client would, never a connection reset (docs/hardening-probe.md): the body is read
to its end first, up to MAX_DRAINED_BYTES; a body announced larger gets 413 at once."""

import asyncio
import socket

import pytest

from realtime.ingest.asgi import MAX_DRAINED_BYTES, IngestFrontApp
from realtime.ingest.ingestor import Ingestor
from realtime.tests.servers import start_uvicorn

BIG_BODY_BYTES = 5 * 2**20


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one whole HTTP answer: its status, headers and the Content-Length bytes of its body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the connection ended before a whole answer: {data[:300]!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, f"the connection ended in the answer's body: {data[:300]!r}"
        body += chunk
    return int(lines[0].split()[1]), headers, body


def _request(method: str, path: str, connection: str, framing: str) -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            f"Connection: {connection}\r\n{framing}\r\n\r\n").encode()


@pytest.fixture(scope="module")
def server():
    with start_uvicorn() as server:
        yield server


@pytest.mark.slow
@pytest.mark.parametrize("connection", ["close", "keep-alive"])
@pytest.mark.parametrize("method, path, status", [
    ("POST", "/pixel.gif", 200), ("GET", "/pixel.gif", 200), ("POST", "/collect", 204), ("PUT", "/collect", 405),
    ("GET", "/nm.js", 200),
])
def test_a_five_megabyte_body_to_an_ingest_endpoint_gets_its_whole_answer(server, method, path, status, connection):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(_request(method, path, connection, f"Content-Length: {BIG_BODY_BYTES}") + b"x" * BIG_BODY_BYTES)
        assert _answer(sock)[0] == status


@pytest.mark.slow
def test_a_chunked_five_megabyte_body_to_the_pixel_gets_the_gif(server):
    chunk = b"x" * 2**16
    body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * (BIG_BODY_BYTES // len(chunk)) + b"0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(_request("POST", "/pixel.gif", "close", "Transfer-Encoding: chunked") + body)
        status, headers, gif = _answer(sock)
        assert (status, headers["content-type"], gif[:6]) == (200, "image/gif", b"GIF89a")


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/pixel.gif", "/collect", "/nm.js"])
def test_a_body_announced_over_the_limit_gets_413_and_the_connection_closes(server, path):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(_request("POST", path, "keep-alive", f"Content-Length: {MAX_DRAINED_BYTES + 1}"))
        status, headers, _ = _answer(sock)
        assert (status, headers["connection"]) == (413, "close")
        assert sock.recv(1) == b""  # closed by the server, nothing more to read


@pytest.mark.parametrize("path", ["/pixel.gif", "/collect"])
def test_a_chunked_body_found_over_the_limit_gets_413_and_is_read_no_further(path):
    chunk, messages, sent = b"x" * 2**16, [], []

    async def receive():
        messages.append(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}  # a body without end

    async def send(message):
        sent.append(message)

    async def fallback(scope, receive, send):
        raise AssertionError("an ingest path fell through")

    scope = {"type": "http", "method": "POST", "path": path, "query_string": b"", "client": ("127.0.0.1", 1),
             "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(IngestFrontApp(fallback, ingestor=Ingestor(config_ttl_secs=0))(scope, receive, send))
    assert (sent[0]["status"], dict(sent[0]["headers"])[b"connection"]) == (413, b"close")
    assert len(messages) * len(chunk) == MAX_DRAINED_BYTES + len(chunk)
