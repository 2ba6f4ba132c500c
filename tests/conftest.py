from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
# Conformance material beside the checkout (never part of the product): the official
# DCAT-AP.de shapes and vocabularies, and real catalogues to harvest.
SHARED_CONFORMANCE = ROOT.parent / "shared" / "conformance"
OFFICIAL_SHAPES = SHARED_CONFORMANCE / "dcat-ap-de"


@pytest.fixture(scope="session", autouse=True)
def _official_shapes_setting() -> Iterator[None]:
    """The suite checks DCAT-AP.de with the official shapes of ../shared (through the
    setting PUBLISHER_CONFORMANCE_DIR, as a user's fetched shapes would be), unless the
    environment names a conformance directory itself (an empty one: the own checks)."""
    if os.environ.get("PUBLISHER_CONFORMANCE_DIR") or not OFFICIAL_SHAPES.is_dir():
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PUBLISHER_CONFORMANCE_DIR", str(OFFICIAL_SHAPES))
        yield


@pytest.fixture
def official_shapes() -> Path:
    """The directory of the official DCAT-AP.de shapes the suite uses; a test that
    needs them is skipped when they are not there."""
    from publisher.conformance.status import directory_status

    path = Path(os.environ.get("PUBLISHER_CONFORMANCE_DIR") or OFFICIAL_SHAPES)
    found = directory_status(path)
    if not found.complete:
        pytest.skip(f"this test needs the official DCAT-AP.de shapes, and {path} holds "
                    f"{found.summary()} (put them in ../shared/conformance/dcat-ap-de, or "
                    "point PUBLISHER_CONFORMANCE_DIR at a `publisher conformance fetch`)")
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh publisher home (catalogue + runs) for one test."""
    path = tmp_path / "home"
    monkeypatch.setenv("PUBLISHER_HOME", str(path))
    return path


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with every shipped pipeline published once per session (the API, page
    and harvest tests read it); a test that changes a home copies it first."""
    from publisher.pipeline.run import run_pipeline
    from publisher.settings import Settings

    home = tmp_path_factory.mktemp("shipped") / "home"
    for pipeline in sorted((ROOT / "pipelines").glob("*.yaml")):
        result = run_pipeline(pipeline, Settings(home=home))
        assert result.exit_code == 0, result.message
    return home
