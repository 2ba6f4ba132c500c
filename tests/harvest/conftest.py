from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

# the API fixtures (published samples, uvicorn server) and the stack fixtures
from tests.api.conftest import ROOT, api_home, serve_api, server  # noqa: F401
from tests.stack.conftest import (  # noqa: F401
    ckan,
    solr_url,
    stack,
)


@contextmanager
def _serving(home: Path) -> Iterator[str]:
    """`uvicorn publisher.api.app:app` for HOME on a free loopback port: its address."""
    with serve_api(home) as url:
        yield url


@pytest.fixture
def serve_home() -> Callable[[Path], AbstractContextManager[str]]:
    """Serve any home with the API in its own process: `with serve_home(home) as url:`."""
    return _serving
