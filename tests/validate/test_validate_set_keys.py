"""A GeoParquet set validated row group by row group (as a cluster's workers do,
here in this process) with unique fields and a primary key checked across the
row groups (publisher.validate.setkeys): the findings, messages and row numbers
are those of one frictionless pass over the whole set."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import frictionless as fl
import geopandas as gpd
import pytest

from publisher.cluster import validate as cluster_validate
from publisher.package.loader import load_package
from publisher.package.model import Resource
from publisher.package.readers._parquetset import pieces
from publisher.report import Report
from publisher.validate import schema as schema_module
from publisher.validate import validate_package
from publisher.validate.schema import SetResult, merge_pieces
from tests.package import parquet_sets

FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string"},
    {"name": "note", "type": "string", "constraints": {"unique": True}},
    {"name": "category", "type": "string", "constraints": {"enum": ["Straße", "Licht"]}},
    {"name": "status", "type": "string"},
    {"name": "reporter_name", "type": "string"},
    {"name": "year", "type": "integer"},
]


def keyed_set(root: Path, records: gpd.GeoDataFrame, schema: dict[str, Any],
              group_rows: int = 7) -> Path:
    """A package of the records as a partitioned set (4 files, row groups of
    `group_rows`)."""
    folder = parquet_sets._package(root, "data/reports", schema=schema)
    parquet_sets.write_partitions(folder / "data" / "reports", records, group_rows)
    return folder


def with_duplicates(rows: int = 60) -> gpd.GeoDataFrame:
    """Records whose primary key repeats within and across files, with keys of null
    cells (one beside a cell reading "None")."""
    records = parquet_sets.frame(rows)
    records.loc[5, "id"] = "R00001"  # same file, another row group
    records.loc[rows - 4, "id"] = "R00001"  # another file (the second year)
    records.loc[rows - 2, "id"] = "R00005"  # last seen in row 7, not in the first
    records.loc[rows // 2, "id"] = None
    records.loc[rows - 6, "id"] = None
    records.loc[rows - 6, "status"] = "None"
    return records


def in_pieces(resource: Resource, schema: dict[str, Any], limit: int) -> SetResult | None:
    """The cluster's validation of a set, each row group validated by the workers'
    function in this process."""
    pset = resource.dataset
    assert pset is not None
    parts, offset = [], 0
    for number, (file, group, records) in enumerate(pieces(pset)):
        narrowed = copy.copy(resource)
        narrowed.dataset = pset.only(file)
        parts.append(cluster_validate._validate_piece(narrowed, group, schema, offset,
                                                      number == 0, limit))
        offset += records
    return merge_pieces(resource, fl.Schema.from_descriptor(schema), parts)


def seen(report: Report) -> list[tuple[Any, ...]]:
    return [(f.type, f.resource, f.field, f.row, f.message, f.sample) for f in report.findings]


def both(folder: Path) -> tuple[Report, Report]:
    """Validated in one pass, and piece by piece (which must have been asked)."""
    asked: list[str] = []

    def sets(resource: Resource, schema: dict[str, Any], limit: int) -> SetResult | None:
        asked.append(resource.name)
        return in_pieces(resource, schema, limit)

    alone = validate_package(load_package(str(folder)))
    spread = validate_package(load_package(str(folder)), sets=sets)
    assert asked == ["reports"]
    return alone, spread


@pytest.mark.parametrize("primary", [["id"], ["id", "status"]])
def test_keys_across_row_groups_are_those_of_one_pass(tmp_path: Path,
                                                      primary: list[str]) -> None:
    folder = keyed_set(tmp_path, with_duplicates(), {"fields": FIELDS, "primaryKey": primary})
    alone, spread = both(folder)
    types = {f.type for f in alone.findings}
    assert {"primary-key", "unique-error", "constraint-error"} <= types
    assert seen(spread) == seen(alone)
    assert spread.stats["resources"] == alone.stats["resources"]
    assert spread.notes == alone.notes
    messages = [f.message for f in alone.findings if f.type == "primary-key"]
    if primary == ["id"]:
        assert any("the same as in the row at position 7" in m for m in messages)
        assert sum('all "None"' in m for m in messages) == 1
        assert sum('all "N***"' in m for m in messages) == 1  # the cell "None", masked


def test_an_integer_key_with_bad_cells_is_checked_as_one_pass_does(tmp_path: Path) -> None:
    records = parquet_sets.frame(50)
    records["code"] = [str(i % 20) if i != 9 else "neun" for i in range(50)]
    fields = [*FIELDS[:2], {"name": "code", "type": "integer", "constraints": {"unique": True}},
              *FIELDS[2:]]
    folder = keyed_set(tmp_path, records, {"fields": fields})
    alone, spread = both(folder)
    assert {"type-error", "unique-error"} <= {f.type for f in alone.findings}
    assert seen(spread) == seen(alone)


@pytest.mark.parametrize("keyed", [True, False])
def test_the_error_limit_cuts_the_merged_list_where_one_pass_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyed: bool) -> None:
    monkeypatch.setattr(schema_module, "LIMIT_ERRORS", 25)
    schema: dict[str, Any] = {"fields": FIELDS, "primaryKey": ["id"]} if keyed else {
        "fields": [{"name": f["name"], "type": f["type"], "constraints": {"maxLength": 12}}
                   for f in FIELDS if f["type"] == "string"] + [FIELDS[-1]]}
    folder = keyed_set(tmp_path, with_duplicates(), schema)
    alone, spread = both(folder)
    assert len(alone.findings) == 25
    assert ("primary-key" if keyed else "constraint-error") in {f.type for f in alone.findings}
    assert seen(spread) == seen(alone)
    assert spread.notes == alone.notes
    assert spread.stats["resources"] == alone.stats["resources"]  # the records read too


def test_without_a_primary_key_or_unique_field_no_key_cells_travel(tmp_path: Path) -> None:
    folder = keyed_set(tmp_path, with_duplicates(), {"fields": [
        {**f, "constraints": {}} for f in FIELDS]})
    resource = load_package(str(folder)).resources[0]
    pset = resource.dataset
    assert pset is not None
    file, group, _ = pieces(pset)[0]
    narrowed = copy.copy(resource)
    narrowed.dataset = pset.only(file)
    part = cluster_validate._validate_piece(narrowed, group, {"fields": FIELDS[:1]}, 0, True,
                                            100)
    assert part.keys is None


def test_a_set_another_resource_looks_up_is_read_for_its_foreign_keys(tmp_path: Path) -> None:
    folder = keyed_set(tmp_path, with_duplicates(), {"fields": FIELDS, "primaryKey": ["id"]})
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    (folder / "comments.csv").write_text("cid,report\n1,R00002\n2,R77777\n3,R00010\n", "utf-8")
    descriptor["resources"].append({
        "name": "comments", "path": "comments.csv", "format": "csv",
        "schema": {"fields": [{"name": "cid", "type": "integer"},
                              {"name": "report", "type": "string"}],
                   "foreignKeys": [{"fields": ["report"],
                                    "reference": {"resource": "reports", "fields": ["id"]}}]}})
    (folder / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    alone = validate_package(load_package(str(folder)))
    spread = validate_package(load_package(str(folder)), sets=in_pieces)
    assert [(f.type, f.row) for f in alone.findings if f.resource == "comments"] == [
        ("foreign-key", 3)]
    assert seen(spread) == seen(alone)


def with_lookup_table(folder: Path, resources: list[dict[str, Any]] | None = None) -> Path:
    """The package with a CSV table of categories the set's records refer to."""
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    (folder / "categories.csv").write_text("name,label\nStraße,Straßenschaden\nLicht,Licht\n",
                                           "utf-8")
    descriptor["resources"].append({
        "name": "categories", "path": "categories.csv", "format": "csv",
        "schema": {"fields": [{"name": "name", "type": "string"},
                              {"name": "label", "type": "string"}], "primaryKey": ["name"]}})
    descriptor["resources"].extend(resources or [])
    (folder / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return folder


FOREIGN = {"fields": ["category"], "reference": {"resource": "categories", "fields": ["name"]}}


def test_foreign_keys_into_another_resource_as_one_pass(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[bool] = []
    with_foreign = schema_module._with_foreign

    def recorded(*args: Any) -> SetResult | None:
        done = with_foreign(*args)
        looked_up.append(done is not None)
        return done

    monkeypatch.setattr(schema_module, "_with_foreign", recorded)
    records = with_duplicates()
    records["category"] = records["category"].astype(object)
    records.loc[[3, 44], "category"] = None  # a null foreign key is no error
    fields = [{k: v for k, v in f.items() if f["name"] != "category" or k != "constraints"}
              for f in FIELDS]
    folder = with_lookup_table(keyed_set(tmp_path, records, {
        "fields": fields, "primaryKey": ["id"], "foreignKeys": [FOREIGN]}))
    alone, spread = both(folder)
    assert looked_up == [True]  # the pieces' key cells looked up here
    found = [f for f in alone.findings if f.type == "foreign-key"]
    assert 10 < len(found) < 40 and {f.sample for f in found} == {"M***"}
    assert {f.type for f in alone.findings} >= {"primary-key", "unique-error"}
    assert seen(spread) == seen(alone)
    assert spread.stats["resources"] == alone.stats["resources"]


def test_a_set_that_refers_to_itself_or_a_missing_resource_is_read_here(
        tmp_path: Path) -> None:
    records = with_duplicates()
    records["parent"] = [f"R{i // 2:05d}" if i % 11 else "R99999" for i in range(len(records))]
    fields = [*FIELDS, {"name": "parent", "type": "string"}]
    for number, reference in enumerate(({"resource": "", "fields": ["id"]},
                                        {"resource": "nowhere", "fields": ["id"]})):
        folder = keyed_set(tmp_path / str(number), records, {
            "fields": fields, "primaryKey": ["id"],
            "foreignKeys": [{"fields": ["parent"], "reference": reference}]})
        alone = validate_package(load_package(str(folder)))
        spread = validate_package(load_package(str(folder)), sets=in_pieces)
        assert {"foreign-key", "resource-error"} & {f.type for f in alone.findings}
        assert seen(spread) == seen(alone)
