"""A local HTTP server that plays the publishers of the official files: it serves a
temporary directory laid out like https://raw.githubusercontent.com/
(<owner>/<repository>/<commit>/<path>), filled from ../shared/conformance."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.conformance.pins import FILES, PinnedFile
from tests.conftest import OFFICIAL_SHAPES


@dataclass(frozen=True)
class Publisher:
    root: Path  # what the server serves
    url: str  # its base URL, the --mirror

    def file(self, pin: PinnedFile) -> Path:
        return self.root / pin.source


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def publisher_server(tmp_path: Path) -> Iterator[Publisher]:
    if not OFFICIAL_SHAPES.is_dir():
        pytest.skip(f"the official files to serve are not in {OFFICIAL_SHAPES}")
    root = tmp_path / "raw.githubusercontent.com"
    for pin in FILES:
        (root / pin.source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(OFFICIAL_SHAPES / pin.local, root / pin.source)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Publisher(root, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def unused_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
