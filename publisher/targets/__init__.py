"""Catalogue targets behind one small interface: local (embedded); CKAN later."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publisher.errors import SpecError
from publisher.settings import Settings
from publisher.targets.base import Target
from publisher.targets.local import LocalTarget


def make_target(spec: dict[str, Any], settings: Settings, base: Path | None = None) -> Target:
    kind = spec.get("type", "local")
    if kind == "local":
        path = spec.get("path")
        if path is None:
            return LocalTarget(settings.catalog_dir)
        root = Path(path)
        return LocalTarget(root if root.is_absolute() or base is None else base / root)
    if kind == "ckan":
        from publisher.targets.ckan import make_ckan_target  # keeps metadata imports lazy

        return make_ckan_target(spec, settings)
    raise SpecError(f"unknown target type '{kind}' (known: local, ckan)")
