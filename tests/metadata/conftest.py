from __future__ import annotations

from typing import Any

import pytest
import yaml
from metadata_helpers import CASES


@pytest.fixture
def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASES / "minimal.yaml").read_text("utf-8"))
    return data
