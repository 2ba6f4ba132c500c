"""Shared helpers for the package tests: fixture locations and tiny packages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).resolve().parents[1] / "cases" / "package"

MakePackage = Callable[..., Path]


def write_package_dir(
    root: Path, resources: list[dict[str, Any]], files: dict[str, str | bytes] | None = None
) -> Path:
    """A directory package with the given resource descriptors and files."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    descriptor = {"name": "test", "resources": resources}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


@pytest.fixture
def make_package(tmp_path: Path) -> MakePackage:
    def make(resources: list[dict[str, Any]], files: dict[str, str | bytes] | None = None) -> Path:
        return write_package_dir(tmp_path / "pkg", resources, files)

    return make


@pytest.fixture
def city(tmp_path: Path) -> Path:
    """A private copy of the city fixture package."""
    return Path(shutil.copytree(CASES / "city", tmp_path / "city"))
