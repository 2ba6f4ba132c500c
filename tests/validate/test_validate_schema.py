"""Descriptor and Table Schema validation (frictionless-based)."""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely import Point
from validate_cases import CASES, build_package

import publisher.validate as validate_module
import publisher.validate.schema as schema_module
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.validate import validate_package


def _cells(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {cell for row in csv.reader(handle) for cell in row if len(cell) > 1}


def test_valid_csv_gives_a_valid_report() -> None:
    report = validate_package(build_package("table-valid"))
    assert report.valid, report.to_dict()
    assert report.findings == []
    stats = report.stats["resources"]["spielplaetze"]
    assert stats["rows"] == 3
    assert stats["checks"] == ["table-schema"]
    assert report.stats["checks"] == ["descriptor", "placeholders", "table-schema"]


def test_broken_csv_gives_exact_positions() -> None:
    report = validate_package(build_package("table-broken"))
    assert not report.valid
    got = {(f.type, f.resource, f.row, f.field) for f in report.findings}
    assert got == {
        ("type-error", "meldungen", 3, "anzahl"),
        ("constraint-error", "meldungen", 4, "id"),
        ("extra-cell", "meldungen", 5, None),
    }
    assert all(str(f.severity) == "error" for f in report.findings)
    assert report.stats["resources"]["meldungen"]["findings"] == {
        "constraint-error": 1, "extra-cell": 1, "type-error": 1}


def test_no_raw_cell_value_in_any_message() -> None:
    report = validate_package(build_package("table-broken"))
    values = _cells(CASES / "table-broken" / "meldungen.csv") - {"id", "kategorie", "anzahl",
                                                                  "datum"}
    for finding in report.findings:
        text = finding.message + (finding.hint or "")
        leaked = [v for v in values if v in text]
        assert not leaked, (finding.message, leaked)
    type_error = next(f for f in report.findings if f.type == "type-error")
    assert type_error.sample == "z*****"
    extra = next(f for f in report.findings if f.type == "extra-cell")
    assert extra.sample is not None and "Meier" not in extra.sample
    assert "column 5" in extra.message


def test_descriptor_error_is_a_finding() -> None:
    package = build_package("table-valid")
    package.descriptor = copy.deepcopy(package.descriptor)
    package.descriptor["name"] = "Keine Gültige Name"
    report = validate_package(package)
    descriptor_findings = [f for f in report.findings if f.resource is None]
    assert [f.type for f in descriptor_findings] == ["package-error"]
    assert "name" in descriptor_findings[0].message
    assert report.stats["descriptor"] == {"errors": 1}


def test_broken_schema_is_reported_once_under_its_resource() -> None:
    package = build_package("table-valid")
    resource = package.resources[0]
    resource.descriptor = copy.deepcopy(resource.descriptor)
    resource.descriptor["schema"]["fields"][0]["type"] = "ganzzahl"
    package.descriptor = {**package.descriptor, "resources": [resource.descriptor]}
    report = validate_package(package)
    assert [(f.type, f.resource) for f in report.findings] == [("field-error", "spielplaetze")]
    assert any("records were not validated" in n for n in report.notes)


def test_csv_without_schema_is_a_note_and_structure_still_checked(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    descriptor = {"name": "t", "path": "t.csv", "format": "csv"}
    package = Package(root=tmp_path, descriptor={"name": "p", "resources": [descriptor]},
                      resources=[Resource("t", "csv", descriptor, path=tmp_path / "t.csv")])
    report = validate_package(package)
    assert any("declares no Table Schema" in n for n in report.notes)
    assert [(f.type, f.row) for f in report.findings] == [("extra-cell", 3)]


def _five_bad_rows(tmp_path: Path) -> Package:
    rows = "".join(f"x{i}\n" for i in range(5))
    (tmp_path / "t.csv").write_text("n\n" + rows, encoding="utf-8")
    descriptor = {"name": "t", "path": "t.csv", "format": "csv",
                  "schema": {"fields": [{"name": "n", "type": "integer"}]}}
    return Package(root=tmp_path, descriptor={"name": "p", "resources": [descriptor]},
                   resources=[Resource("t", "csv", descriptor, path=tmp_path / "t.csv")])


def test_error_limit_is_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_module, "LIMIT_ERRORS", 2)
    report = validate_package(_five_bad_rows(tmp_path), engine=False)
    assert len(report.findings) == 2
    assert any("stopped after 2" in n for n in report.notes)


def test_engine_counts_every_error_and_lists_the_first(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate_module, "LIMIT_ERRORS", 2)
    report = validate_package(_five_bad_rows(tmp_path))
    assert [f.row for f in report.findings] == [2, 3]
    assert report.stats["resources"]["t"]["errors"] == 5
    assert report.stats["resources"]["t"]["engine"] == "arrow"
    assert any("5 schema errors, only the first 2" in n for n in report.notes)


def _spatial(descriptor: dict[str, Any], frame: gpd.GeoDataFrame, root: Path) -> Package:
    resource = Resource("punkte", "geojson", descriptor, path=root / "punkte.geojson",
                        geometry=GeometrySpec(kind="native"), data=frame)
    return Package(root=root, descriptor={"name": "p", "resources": [descriptor]},
                   resources=[resource])


def test_geojson_properties_map_to_feature_numbers(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"menge": [3, -1, 5], "extra": ["a", "b", "c"]},
        geometry=[Point(11.5, 48.1)] * 3, crs="EPSG:4326", index=[10, 20, 30])
    descriptor = {"name": "punkte", "path": "punkte.geojson", "format": "geojson",
                  "schema": {"fields": [
                      {"name": "menge", "type": "integer", "constraints": {"minimum": 0}},
                      {"name": "art", "type": "string"}]}}
    report = validate_package(_spatial(descriptor, frame, tmp_path))
    got = {(f.type, f.row, f.field) for f in report.findings}
    assert got == {("constraint-error", 20, "menge"), ("missing-label", None, "art"),
                   ("extra-label", None, None)}
    constraint = next(f for f in report.findings if f.type == "constraint-error")
    assert "feature 20" in constraint.message
    assert "-1" not in constraint.message


def test_geojson_without_schema_is_a_note(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"x": [1]}, geometry=[Point(11.5, 48.1)], crs="EPSG:4326",
                             index=[1])
    descriptor = {"name": "punkte", "path": "punkte.geojson", "format": "geojson"}
    report = validate_package(_spatial(descriptor, frame, tmp_path))
    assert report.valid
    assert any("declares no Table Schema" in n for n in report.notes)
    assert "table-schema" not in report.stats["resources"]["punkte"]["checks"]


def test_foreign_key_message_holds_no_value(tmp_path: Path) -> None:
    (tmp_path / "ref.csv").write_text("id\n1\n2\n", encoding="utf-8")
    (tmp_path / "child.csv").write_text("ref\n1\n987654\n", encoding="utf-8")
    ref = {"name": "ref", "path": "ref.csv", "format": "csv",
           "schema": {"fields": [{"name": "id", "type": "integer"}]}}
    child = {"name": "child", "path": "child.csv", "format": "csv",
             "schema": {"fields": [{"name": "ref", "type": "integer"}],
                        "foreignKeys": [{"fields": ["ref"],
                                         "reference": {"resource": "ref", "fields": ["id"]}}]}}
    package = Package(root=tmp_path, descriptor={"name": "p", "resources": [ref, child]},
                      resources=[Resource("ref", "csv", ref, path=tmp_path / "ref.csv"),
                                 Resource("child", "csv", child, path=tmp_path / "child.csv")])
    report = validate_package(package)
    [finding] = report.findings
    assert (finding.type, finding.resource, finding.row) == ("foreign-key", "child", 3)
    assert "987654" not in finding.message
    assert finding.sample == "9*****"
