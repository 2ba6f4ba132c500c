from __future__ import annotations

# the API fixtures (published samples, uvicorn server) and the stack fixtures
from tests.api.conftest import api_home, published, server  # noqa: F401
from tests.stack.conftest import (  # noqa: F401
    ckan,
    solr_url,
    stack,
)
