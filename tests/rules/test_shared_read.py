"""The check reads a resource's text columns once (publisher.rules._shared): the
passes of coordinates-in-text, coordinate-columns and date-of-birth are fed by
the identifier scan's read, with the findings of each rule's own pass."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import publisher.package.batches as batches_module
import publisher.rules._points as points_module
import publisher.rules._shared as shared_module
import publisher.rules.policy as policy_module
from publisher.package.batches import Batch
from publisher.package.loader import load_package
from publisher.package.model import Resource
from publisher.rules._identifiers import scan_resource
from publisher.rules._shared import BatchPass, result_of
from publisher.rules.policy import check_package, load_policy


def _package(root: Path) -> Path:
    lines = ["id,wert_a,wert_b,geburtsdatum,hinweis"]
    for i in range(1, 121):
        born = dt.date(1940 + i % 60, 1 + i % 12, 1 + i % 28).isoformat()
        note = "Laterne defekt" if i % 9 else f"Standort 51.33{i:05d} 12.38{i:05d}"
        if i % 25 == 0:
            note = f"Rückfragen an k.wagner{i}@example.de"
        lines.append(f"{i},{51.3 + i / 1000 + 1e-5:.6f},{12.3 + i / 1000 + 1e-5:.6f},{born},{note}")
    (root / "reports.csv").write_text("\n".join(lines) + "\n", "utf-8")
    descriptor = {"name": "reports", "licenses": [{"name": "dl-by-de/2.0"}],
                  "resources": [{"name": "reports", "path": "reports.csv", "format": "csv",
                                 "encoding": "utf-8", "schema": {"fields": [
                                     {"name": name, "type": "string"} for name in
                                     ("id", "wert_a", "wert_b", "geburtsdatum", "hinweis")]}}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return root / "datapackage.json"


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[str] | None]:
    """The columns asked of every pass over the records, of the CSV file or of the
    table in memory (None: all text columns)."""
    asked: list[Sequence[str] | None] = []
    for name in ("_csv_batches", "_frame_batches"):
        real = getattr(batches_module, name)

        def counted(source: Any, columns: Sequence[str] | None, batch_rows: int,
                    real: Any = real) -> Iterator[batches_module.Batch]:
            asked.append(columns)
            return real(source, columns, batch_rows)  # type: ignore[no-any-return]

        monkeypatch.setattr(batches_module, name, counted)
    return asked


def test_one_read_for_all_rules_with_their_own_findings(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _package(tmp_path)
    policy = load_policy("de-open-data")
    asked = _reads(monkeypatch)
    shared = check_package(policy, load_package(str(path))).to_dict()
    assert asked.count(None) == 1

    types = {f["type"] for f in shared["findings"]}
    assert {"coordinate-columns", "coordinates-in-text", "date-of-birth",
            "email-in-text"} <= types

    asked.clear()
    monkeypatch.setattr(policy_module, "_read_once", lambda *args: None)
    alone = check_package(policy, load_package(str(path))).to_dict()
    assert asked.count(None) > 1
    assert shared == alone


def test_a_scan_kept_from_before_leaves_the_rules_their_own_passes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _package(tmp_path)
    policy = load_policy("de-open-data")
    expected = check_package(policy, load_package(str(path))).to_dict()
    package = load_package(str(path))
    scan_resource(package.resources[0])  # as a cluster's prescan hands a scan over
    asked = _reads(monkeypatch)
    assert check_package(policy, package).to_dict() == expected
    assert asked.count(None) > 1


@pytest.mark.parametrize("kind", ["latlon", "wkt"])
def test_one_read_of_the_geometry_for_the_coordinate_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    lines = ["id,lat,lon,wkt"]
    for i in range(1, 41):
        lat, lon = (51.3 + i / 10000, 12.3 + i / 10000) if i % 10 else (-33.9, 18.4)
        lines.append(f'{i},{lat:.4f},{lon:.4f},"POINT ({lon:.4f} {lat:.4f})"')
    (tmp_path / "points.csv").write_text("\n".join(lines) + "\n", "utf-8")
    geometry = {"kind": "latlon", "lat": "lat", "lon": "lon"} if kind == "latlon" else \
        {"kind": "wkt", "column": "wkt"}
    descriptor = {"name": "points", "licenses": [{"name": "dl-by-de/2.0"}], "resources": [{
        "name": "points", "path": "points.csv", "format": "csv", "encoding": "utf-8",
        "schema": {"fields": [{"name": n, "type": "string"} for n in ("id", "lat", "lon", "wkt")]},
        "geometry": {**geometry, "crs": "EPSG:4326"}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    policy = load_policy("de-open-data")
    reads: list[str] = []
    real = points_module.geometry_read
    monkeypatch.setattr(points_module, "geometry_read",
                        lambda resource: reads.append(resource.name) or real(resource))

    shared = check_package(policy, load_package(str(tmp_path / "datapackage.json"))).to_dict()
    assert reads == ["points"]
    assert {"coordinate-precision", "coordinate-extent"} <= \
        {f["type"] for f in shared["findings"]}

    reads.clear()
    monkeypatch.setattr(policy_module, "_read_once", lambda *args: None)
    alone = check_package(policy, load_package(str(tmp_path / "datapackage.json"))).to_dict()
    assert reads == ["points", "points"]
    assert shared == alone


class _Count(BatchPass[int]):
    """Records, counting the passes made."""

    def __init__(self, runs: list[int]) -> None:
        self.records = 0
        self.runs = runs

    @property
    def key(self) -> Hashable:
        return ("count",)

    def add(self, batch: Batch) -> None:
        self.records += len(batch)

    def run(self, resource: Resource) -> int:
        self.runs.append(1)
        return super().run(resource)

    def result(self) -> int:
        return self.records


def test_results_kept_while_the_resource_and_its_data_stay(tmp_path: Path) -> None:
    resource = load_package(str(_package(tmp_path))).resources[0]
    runs: list[int] = []
    assert result_of(resource, _Count(runs)) == 120
    assert result_of(resource, _Count(runs)) == 120 and len(runs) == 1
    resource.data = resource.table().iloc[:50]  # as a step changes the records
    assert result_of(resource, _Count(runs)) == 50 and len(runs) == 2
    assert result_of(resource, _Count(runs)) == 50 and len(runs) == 2

    gone = id(resource)
    assert gone in shared_module._DONE
    del resource
    gc.collect()
    assert gone not in shared_module._DONE  # nothing of it (nor its table) is held
