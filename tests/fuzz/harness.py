"""Targets shared by the hypothesis tests (test_fuzz_*.py, short, in the suite)
and the atheris harness (atheris_fuzz.py, long, by hand): each writes one input
into a fresh package directory, loads it and reads every table. Ending in a
Package or a PublisherError is fine; any other exception is a bug.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

from publisher.errors import PublisherError
from publisher.package.loader import load_package
from publisher.package.model import Package

CSV_SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"},
                         {"name": "lat", "type": "number"}, {"name": "lon", "type": "number"}]}
GEO_SCHEMA = {"fields": [{"name": "name", "type": "string"}]}


def load_and_read(root: Path) -> Package | PublisherError:
    """The package at `root` with every table read, or the PublisherError it ends in."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            package = load_package(root, workdir=root.parent / "work")
            for resource in package.resources:
                resource.table()
    except PublisherError as exc:
        assert str(exc)  # a message, whatever went wrong
        return exc
    return package


def _package(files: dict[str, bytes], descriptor: dict[str, Any] | None) -> Package | \
        PublisherError:
    with tempfile.TemporaryDirectory(prefix="publisher-fuzz-") as tmp:
        root = Path(tmp) / "pkg"
        root.mkdir()
        if descriptor is not None:
            (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        for name, data in files.items():
            (root / name).write_bytes(data)
        return load_and_read(root)


def descriptor_target(data: bytes, name: str = "datapackage.json") -> Package | PublisherError:
    """`data` as the descriptor file (beside a small valid CSV it may name)."""
    return _package({name: data, "data.csv": b"id,name\n1,a\n"}, None)


def csv_target(data: bytes, descriptor_extra: dict[str, Any] | None = None) -> Package | \
        PublisherError:
    """`data` as a CSV resource with a latlon schema (and descriptor_extra merged in)."""
    resource = {"name": "points", "path": "points.csv", "format": "csv", "schema": CSV_SCHEMA,
                **(descriptor_extra or {})}
    return _package({"points.csv": data}, {"name": "fuzz", "resources": [resource]})


def geojson_target(data: bytes) -> Package | PublisherError:
    resource = {"name": "areas", "path": "areas.geojson", "format": "geojson",
                "schema": GEO_SCHEMA}
    return _package({"areas.geojson": data}, {"name": "fuzz", "resources": [resource]})


def gpkg_target(data: bytes) -> Package | PublisherError:
    resource = {"name": "areas", "path": "areas.gpkg", "format": "gpkg"}
    return _package({"areas.gpkg": data}, {"name": "fuzz", "resources": [resource]})


def seed_gpkg() -> bytes:
    """A small valid GeoPackage (one polygon layer) for mutation."""
    import geopandas as gpd
    import shapely

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seed.gpkg"
        frame = gpd.GeoDataFrame({"name": ["a", "b"]},
                                 geometry=[shapely.box(12.3, 51.3, 12.4, 51.4),
                                           shapely.Point(12.35, 51.35)], crs="EPSG:4326")
        frame.to_file(path, driver="GPKG", engine="pyogrio", layer="areas")
        return path.read_bytes()
