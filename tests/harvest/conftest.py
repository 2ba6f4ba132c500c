from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest

# the API fixtures (published samples, uvicorn server) and the stack fixtures
from tests.api.conftest import ROOT, _free_port, api_home, published, server  # noqa: F401
from tests.stack.conftest import (  # noqa: F401
    ckan,
    solr_url,
    stack,
)


@contextmanager
def _serving(home: Path) -> Iterator[str]:
    """`uvicorn publisher.api.app:app` for HOME on a free loopback port: its address."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PUBLISHER_HOME": str(home), "PUBLISHER_PUBLIC_URL": url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "publisher.api.app:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                stderr = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"uvicorn did not start on {url}: {stderr[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def serve_home() -> Callable[[Path], AbstractContextManager[str]]:
    """Serve any home with the API in its own process: `with serve_home(home) as url:`."""
    return _serving
