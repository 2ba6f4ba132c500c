"""A home with the shipped pipelines published once per session (and a second
version of the tree cadastre), and helpers to write and verify bundles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from publisher.cli import app
from publisher.pipeline.run import run_pipeline
from publisher.settings import Settings
from tests.conftest import CASES, ROOT
from tests.stack.conftest import s3, stack  # noqa: F401

HANDOVER_CASES = CASES / "handover"
TREES = "baumkataster-musterstadt"
runner = CliRunner()


def _second_tree_version(tmp: Path) -> Path:
    """The tree pipeline with a new title: same data, new content hash, version 2."""
    text = (ROOT / "pipelines" / "tree-cadastre.yaml").read_text(encoding="utf-8")
    source = ROOT / "pipelines" / "samples" / "tree-cadastre"
    text = text.replace("source: samples/tree-cadastre", f"source: {source}")
    text = text.replace("title: Baumkataster Musterstadt", "title: Baumkataster Musterstadt 2025")
    path = tmp / "tree-cadastre.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("handover-home")
    settings = Settings(home=base / "home")
    pipelines = [*sorted((ROOT / "pipelines").glob("*.yaml")), _second_tree_version(base)]
    for pipeline in pipelines:
        result = run_pipeline(pipeline, settings)
        assert result.exit_code == 0, result.message
    return base / "home"


@pytest.fixture
def home_copy(published: Path, tmp_path: Path) -> Path:
    """A copy of the published home that a test may change."""
    path = tmp_path / "home"
    shutil.copytree(published, path)
    return path


def cli(*args: str) -> tuple[int, Any]:
    """Run the CLI with --json; (exit code, parsed output)."""
    result = runner.invoke(app, [*args, "--json"])
    try:
        return result.exit_code, json.loads(result.output)
    except ValueError:
        raise AssertionError(f"not JSON (exit {result.exit_code}): {result.output}") from None


@pytest.fixture
def bundle(published: Path, tmp_path: Path) -> Path:
    """A freshly written bundle of the published home."""
    out = tmp_path / "bundle"
    code, data = cli("handover", "--home", str(published), "--out", str(out))
    assert code == 0 and data["ok"], data
    return out
