"""A fault proxy on 127.0.0.1 in front of a real service (CKAN, S3), for tests.

Each request is read whole and handled as `rule(method, path)` says:

- "pass": forwarded as it came (Host included, so S3 signatures hold);
- "refuse": the connection is closed without an answer;
- "500": answered 500 without forwarding;
- "lost": forwarded, then answered 500 (the call landed, its answer was lost);
- a float: forwarded after that many seconds (at most MAX_DELAY).

`stop()` closes the listening socket: the service looks stopped (connection
refused). The proxy stops by itself after `lifetime` seconds.
"""

from __future__ import annotations

import http.client
import http.server
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

Fault = str | float
Rule = Callable[[str, str], Fault]
MAX_DELAY = 10.0
_HOP = {"connection", "keep-alive", "transfer-encoding", "expect", "proxy-connection"}


def passing(method: str, path: str) -> Fault:
    return "pass"


def on(fault: Fault, *needles: str) -> Rule:
    """FAULT for requests whose path holds any of NEEDLES, the rest pass."""
    return lambda method, path: fault if any(n in path for n in needles) else "pass"


def first(fault: Fault, *needles: str) -> Rule:
    """FAULT for the first request whose path holds each of NEEDLES, the rest pass."""
    hit: set[str] = set()

    def rule(method: str, path: str) -> Fault:
        for needle in needles:
            if needle in path and needle not in hit:
                hit.add(needle)
                return fault
        return "pass"

    return rule


class FaultProxy:
    def __init__(self, upstream: str, rule: Rule = passing, *, lifetime: float = 180.0):
        parts = urlsplit(upstream)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.rule = rule
        self.seen: list[tuple[str, str, str]] = []  # method, path, fault applied
        self._busy = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_any(self) -> None:
                proxy._handle(self)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_any

            def log_message(self, *args: Any) -> None:
                return None

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
        self.wait_idle()

    def stop(self) -> None:
        """Close the listening socket: connections are refused from now on."""
        self._timer.cancel()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def wait_idle(self, timeout: float = MAX_DELAY + 30) -> None:
        """Wait until no request is in flight (a delayed one may still land)."""
        deadline = time.monotonic() + timeout
        while self._busy and time.monotonic() < deadline:
            time.sleep(0.05)

    def faults(self, fault: str) -> list[str]:
        return [path for _, path, applied in self.seen if applied == fault]

    def _handle(self, req: http.server.BaseHTTPRequestHandler) -> None:
        with self._lock:
            self._busy += 1
        try:
            body = _read_body(req)
            fault = self.rule(req.command, req.path)
            self.seen.append((req.command, req.path, str(fault)))
            req.close_connection = True
            if fault == "refuse":
                return
            if fault == "500":
                _answer(req, 500, [], b"<html>fault proxy: 500</html>")
                return
            if isinstance(fault, float | int) and not isinstance(fault, bool):
                time.sleep(min(float(fault), MAX_DELAY))
            status, headers, data = self._forward(req, body)
            if fault == "lost":
                _answer(req, 500, [], b"<html>fault proxy: answer lost</html>")
                return
            _answer(req, status, headers, data, head=req.command == "HEAD")
        except OSError:
            req.close_connection = True  # the client gave up (timeout): nothing to answer
        finally:
            with self._lock:
                self._busy -= 1

    def _forward(self, req: http.server.BaseHTTPRequestHandler,
                 body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.putrequest(req.command, req.path, skip_host=True, skip_accept_encoding=True)
            for name, value in req.headers.items():
                if name.lower() not in _HOP and name.lower() != "content-length":
                    conn.putheader(name, value)
            if body or req.command in ("POST", "PUT"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp.getheaders(), data
        finally:
            conn.close()


def _read_body(req: http.server.BaseHTTPRequestHandler) -> bytes:
    if req.headers.get("Transfer-Encoding", "").lower() == "chunked":
        out = bytearray()
        while True:
            size = int(req.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while req.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(out)
            out += req.rfile.read(size)
            req.rfile.readline()
    length = int(req.headers.get("Content-Length") or 0)
    return req.rfile.read(length) if length else b""


def _answer(req: http.server.BaseHTTPRequestHandler, status: int,
            headers: list[tuple[str, str]], data: bytes, *, head: bool = False) -> None:
    req.send_response_only(status)
    for name, value in headers:
        low = name.lower()
        if low in _HOP or (low == "content-length" and not head):
            continue
        req.send_header(name, value)
    if not head:
        req.send_header("Content-Length", str(len(data)))
    req.send_header("Connection", "close")
    req.end_headers()
    if not head and data:
        req.wfile.write(data)
