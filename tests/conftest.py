from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh publisher home (catalogue + runs) for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("PUBLISHER_HOME", str(path))
    return path
