"""Packages built by hand from tests/cases/validate, independent of the loader."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd

from publisher.package.model import GeometrySpec, Package, Resource

CASES = Path(__file__).resolve().parent.parent / "cases" / "validate"


def numbered(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Index = 1-based feature number, as the readers hand it over."""
    frame.index = range(1, len(frame) + 1)
    return frame


def build_package(case: str) -> Package:
    root = CASES / case
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = []
    for item in descriptor["resources"]:
        path = root / item["path"]
        resource = Resource(name=item["name"], format=item["format"], descriptor=item, path=path)
        if item["format"] == "geojson":
            frame = numbered(gpd.read_file(path))
            resource.data = frame
            resource.geometry = GeometrySpec(kind="native", crs=str(frame.crs))
        resources.append(resource)
    return Package(root=root, descriptor=descriptor, resources=resources,
                   source=str(root / "datapackage.json"))

