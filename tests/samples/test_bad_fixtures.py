"""The bad packages in tests/cases/bad/ are broken exactly as their READMEs say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import frictionless
import geopandas as gpd
import pytest

BAD = Path(__file__).resolve().parents[1] / "cases" / "bad"
CASES = (
    "absolute-path",
    "csv-breaks-schema",
    "geojson-invalid-geometry",
    "licence-not-open",
    "path-traversal",
)


def _descriptor(case: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((BAD / case / "datapackage.json").read_text("utf-8"))
    return loaded


def test_every_original_bad_case_is_present() -> None:
    # the whole corpus is checked by tests/reliability/test_bad_corpus.py
    assert set(CASES) <= {p.name for p in BAD.iterdir() if p.is_dir()}


@pytest.mark.parametrize("case", CASES)
def test_bad_case_has_descriptor_and_readme(case: str) -> None:
    assert _descriptor(case)["resources"]
    assert "Bad:" in (BAD / case / "README.md").read_text("utf-8")


def test_path_traversal_points_outside_at_nothing() -> None:
    [resource] = _descriptor("path-traversal")["resources"]
    assert resource["path"] == "../../outside.csv"
    root = BAD / "path-traversal"
    target = (root / resource["path"]).resolve()
    assert not target.is_relative_to(root)
    assert not target.exists()


def test_absolute_path_names_a_system_file() -> None:
    [resource] = _descriptor("absolute-path")["resources"]
    assert resource["path"] == "/etc/passwd"
    assert Path(resource["path"]).is_absolute()


def test_csv_breaks_schema_in_the_documented_cells() -> None:
    report = frictionless.validate(str(BAD / "csv-breaks-schema" / "datapackage.json"))
    errors = report.flatten(["rowNumber", "fieldName", "type"])
    assert errors == [[4, "equipment_count", "type-error"], [6, "name", "constraint-error"]]
    readme = (BAD / "csv-breaks-schema" / "README.md").read_text("utf-8")
    assert "| 4 | `equipment_count` |" in readme
    assert "| 6 | `name` |" in readme


def test_geojson_feature_two_is_a_bow_tie() -> None:
    [resource] = _descriptor("geojson-invalid-geometry")["resources"]
    frame = gpd.read_file(BAD / "geojson-invalid-geometry" / resource["path"])
    assert frame.is_valid.tolist() == [True, False, True]
    names = [f["name"] for f in resource["schema"]["fields"]]
    table = frictionless.Resource(
        data=[names, *frame[names].astype(object).values.tolist()],
        schema=frictionless.Schema.from_descriptor(resource["schema"]),
    )
    assert frictionless.validate(table).valid


def test_licence_not_open_is_otherwise_valid() -> None:
    descriptor = _descriptor("licence-not-open")
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-NC-4.0"]
    report = frictionless.validate(str(BAD / "licence-not-open" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
