"""Fixtures for the API: a copy of the shipped home (tests/conftest.py) per test,
so tests may change it; an in-process client; a real uvicorn server on a free
loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from publisher.api.app import create_app
from publisher.api.auth import hash_token
from publisher.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "steward-test-token-0123456789abcdef"
BASE = "http://testserver"


def settings_for(home: Path) -> Settings:
    return Settings(home=home, public_url=BASE, steward_token_hash=hash_token(TOKEN),
                    pipelines_dir=ROOT / "pipelines")


@pytest.fixture
def api_home(shipped_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(shipped_home, home)
    return home


@pytest.fixture
def client(api_home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(api_home)), base_url=BASE) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(api_home: Path) -> Iterator[str]:
    """`uvicorn publisher.api.app:app` in its own process on 127.0.0.1."""
    with serve_api(api_home, {"PUBLISHER_STEWARD_TOKEN_HASH": hash_token(TOKEN)}) as url:
        yield url


@contextmanager
def serve_api(home: Path, extra: dict[str, str] | None = None) -> Iterator[str]:
    """`uvicorn publisher.api.app:app` for HOME (and EXTRA settings) in its own process
    on a free loopback port, until it answers /healthz: its address."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PUBLISHER_HOME": str(home), "PUBLISHER_PUBLIC_URL": url,
           **(extra or {})}
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
