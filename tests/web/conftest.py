"""Fixtures for the pages: a copy of the shipped home (tests/conftest.py) per test;
an in-process client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from publisher.api.app import create_app
from publisher.api.auth import hash_token
from publisher.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "steward-web-token-0123456789abcdef"
BASE = "http://testserver"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
GRID = "maengelmelder-musterstadt-raster"
TREES = "baumkataster-musterstadt"
CHARGING = "ladesaeulen-musterstadt"


def web_settings(home: Path, base: str = BASE) -> Settings:
    return Settings(home=home, public_url=base, steward_token_hash=hash_token(TOKEN),
                    pipelines_dir=ROOT / "pipelines", api_rate_per_second=0)


@pytest.fixture
def web_home(shipped_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(shipped_home, home)
    return home


@pytest.fixture
def web(web_home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_settings(web_home)), base_url=BASE) as c:
        yield c
