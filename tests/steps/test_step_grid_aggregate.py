import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from publisher.errors import InputError, SpecError
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.steps.base import steps
from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams

CASES = Path(__file__).parent.parent / "cases" / "steps"
TO_LAEA = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
FROM_LAEA = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
CELL = re.compile(r"^CRS3035RES(\d+)mN(\d+)E(\d+)$")


def reference_cell(lon: float, lat: float, res: int) -> str:
    x, y = TO_LAEA.transform(lon, lat)
    return f"CRS3035RES{res}mN{math.floor(y / res) * res}E{math.floor(x / res) * res}"


def defects() -> Resource:
    """The CSV as the loader gives it: text cells, lat/lon gone into `geometry`."""
    raw = pd.read_csv(CASES / "defect-points.csv", dtype=str, keep_default_na=False)
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    geometry = [Point(float(lon), float(lat)) if lon else None
                for lon, lat in zip(raw["lon"], raw["lat"], strict=True)]
    table = gpd.GeoDataFrame(raw.drop(columns=["lon", "lat"]), geometry=geometry,
                             crs="EPSG:4326")
    schema = {"fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "kategorie", "type": "string", "constraints": {"unique": True},
         "title": "Kategorie"},
        {"name": "lon", "type": "number"}, {"name": "lat", "type": "number"}],
        "primaryKey": ["id"]}
    return Resource(name="defects", format="csv", path=CASES / "defect-points.csv",
                    descriptor={"name": "defects", "path": "defect-points.csv",
                                "schema": schema, "geometry": {"lat": "lat", "lon": "lon"}},
                    geometry=GeometrySpec(kind="latlon", lat="lat", lon="lon"), data=table)


def pkg(*resources: Resource) -> Package:
    return Package(root=CASES, descriptor={"name": "p"}, resources=list(resources),
                   source="datapackage.json")


def apply(package: Package, **params: Any) -> Any:
    return GridAggregate(GridAggregateParams.model_validate(params)).apply(package)


def test_registered_under_its_type():
    assert steps.get("grid-aggregate") is GridAggregate


def test_point_in_the_census_example_cell_gets_that_id():
    # the id from RULES.md section 2; points around the cell's centre
    lon, lat = FROM_LAEA.transform(4337050, 2689050)
    near = [FROM_LAEA.transform(4337050 + dx, 2689050 + dy)
            for dx, dy in [(0, 0), (-40, 30), (45, -45)]]
    table = gpd.GeoDataFrame({"n": ["a", "b", "c"]},
                             geometry=[Point(x, y) for x, y in near], crs="EPSG:4326",
                             index=[1, 2, 3])
    res = Resource(name="p", format="geojson", descriptor={"name": "p"},
                   geometry=GeometrySpec(kind="native"), data=table)
    apply(pkg(res), crs="EPSG:3035")
    assert res.table().drop(columns="geometry").to_dict("records") == [
        {"cell_id": "CRS3035RES100mN2689000E4337000", "count": 3}]
    assert reference_cell(lon, lat, 100) == "CRS3035RES100mN2689000E4337000"
    assert res.table().geometry.iloc[0].equals(box(4337000, 2689000, 4337100, 2689100))


def test_known_points_map_to_pyproj_reference_cells():
    res = defects()
    apply(pkg(res), resolution=1000, min_count=1)
    expected = {reference_cell(7.62801, 51.96251, 1000): 4,
                reference_cell(7.64100, 51.95010, 1000): 2,
                reference_cell(7.61000, 51.97500, 1000): 1}
    table = res.table()
    assert dict(zip(table["cell_id"], table["count"], strict=True)) == expected
    assert expected == {"CRS3035RES1000mN3208000E4157000": 4,
                        "CRS3035RES1000mN3207000E4158000": 2,
                        "CRS3035RES1000mN3209000E4156000": 1}


def test_min_count_suppresses_small_cells_and_stats_add_up():
    res = defects()
    outcome = apply(pkg(res))  # 100 m, min_count 3
    table = res.table()
    assert table["cell_id"].tolist() == [reference_cell(7.62801, 51.96251, 100)]
    assert table["count"].tolist() == [4]
    stats = outcome.stats
    assert {k: stats[k] for k in ("points_in", "points_without_geometry", "cells_published",
                                  "cells_suppressed", "points_suppressed", "resolution",
                                  "min_count")} == {
        "points_in": 8, "points_without_geometry": 1, "cells_published": 1,
        "cells_suppressed": 2, "points_suppressed": 3, "resolution": 100, "min_count": 3}
    assert stats["points_in"] == stats["points_without_geometry"] + \
        stats["points_suppressed"] + int(table["count"].sum())


def test_by_counts_per_cell_and_value_sorted_with_csv_rows():
    res = defects()
    outcome = apply(pkg(res), resolution=1000, min_count=1, by=["kategorie"])
    table = res.table()
    big = reference_cell(7.62801, 51.96251, 1000)
    records = table.drop(columns="geometry").to_dict("records")
    assert {"cell_id": big, "kategorie": "Laterne", "count": 3} in records
    assert {"cell_id": big, "kategorie": "Müll", "count": 1} in records
    assert records == sorted(records, key=lambda r: (r["cell_id"], r["kategorie"]))
    assert list(table.index) == list(range(2, len(table) + 2))
    assert list(table.columns) == ["cell_id", "kategorie", "count", "geometry"]
    assert outcome.stats["cells_published"] == 4
    schema = res.schema
    assert schema["primaryKey"] == ["cell_id", "kategorie"]
    by_field = schema["fields"][1]
    assert by_field["name"] == "kategorie" and by_field["title"] == "Kategorie"
    assert "unique" not in by_field["constraints"]  # many cells share a category


def test_by_with_min_count_suppresses_per_value():
    res = defects()
    apply(pkg(res), resolution=1000, min_count=2, by=["kategorie"])
    assert res.table().drop(columns="geometry").to_dict("records") == [
        {"cell_id": "CRS3035RES1000mN3207000E4158000", "kategorie": "Müll", "count": 2},
        {"cell_id": "CRS3035RES1000mN3208000E4157000", "kategorie": "Laterne", "count": 3}]


def test_no_coordinate_finer_than_the_grid_in_the_output():
    res = defects()
    apply(pkg(res), resolution=250, min_count=1)
    table = res.table()
    assert list(table.columns) == ["cell_id", "count", "geometry"]
    for cell, shape in zip(table["cell_id"], table.geometry.to_crs(3035), strict=True):
        match = CELL.match(cell)
        assert match is not None
        assert match.group(1) == "250"
        north, east = int(match.group(2)), int(match.group(3))
        assert north % 250 == 0 and east % 250 == 0
        # the only coordinates left are the cell's corners (to a centimetre)
        corners = np.asarray(shape.exterior.coords)
        assert np.allclose(np.round(corners / 250) * 250, corners, atol=0.02)
    text = table.drop(columns="geometry").to_csv()
    for coordinate in ("7.628", "51.962", "7.641", "51.950"):
        assert coordinate not in text
    assert not any(pd.api.types.is_float_dtype(table[c].dtype) for c in ("cell_id", "count"))


def test_resource_replaced_in_place_as_a_csv_table_with_cell_polygons():
    res = defects()
    apply(pkg(res), min_count=2)
    assert res.name == "defects"
    assert res.path is None and res.format == "csv"
    assert res.geometry == GeometrySpec(kind="wkt", crs="EPSG:4326", column="geometry")
    assert res.descriptor["geometry"] == {"kind": "wkt", "column": "geometry",
                                          "crs": "EPSG:4326"}
    assert res.descriptor["format"] == "csv"
    fields = res.schema["fields"]
    assert [f["name"] for f in fields] == ["cell_id", "count", "geometry"]
    assert fields[0]["type"] == "string" and fields[0]["constraints"] == {"required": True}
    assert fields[1]["type"] == "integer" and fields[1]["constraints"] == {"minimum": 2}
    assert fields[2]["type"] == "string" and "EPSG:4326" in fields[2]["description"]
    assert all(f["title"] and f["description"] for f in fields)  # new fields are described
    assert res.schema["primaryKey"] == ["cell_id"]
    assert res.table()["count"].dtype == np.int64
    assert set(res.table().geom_type) == {"Polygon"}


def test_merged_up_cells_name_their_unit_and_an_empty_result_stays_spatial():
    res = defects()
    apply(pkg(res), min_count=3, merge_up=[1000])
    [size] = [f for f in res.schema["fields"] if f["name"] == "resolution_m"]
    assert size["unit"] == "m" and size["title"]
    empty = defects()
    apply(pkg(empty), min_count=100)
    assert len(empty.table()) == 0 and empty.is_spatial
    assert list(empty.table().columns) == ["cell_id", "count", "geometry"]


def test_projected_input_gives_the_same_cells():
    res = defects()
    projected = defects()
    table = projected.table()
    projected.data = table.to_crs("EPSG:25832")
    apply(pkg(res), resolution=100, min_count=1)
    apply(pkg(projected), resolution=100, min_count=1)
    pd.testing.assert_frame_equal(res.table(), projected.table())


def test_non_point_geometry_is_an_input_error_naming_resource_and_row():
    table = gpd.GeoDataFrame(
        {"n": ["a", "b", "c"]},
        geometry=[Point(7.6, 51.9), LineString([(7.6, 51.9), (7.7, 51.95)]), Point(7.6, 51.9)],
        crs="EPSG:4326", index=[1, 2, 3])
    res = Resource(name="roads", format="geojson", descriptor={"name": "roads"},
                   geometry=GeometrySpec(kind="native"), data=table)
    with pytest.raises(InputError) as info:
        apply(pkg(res))
    assert info.value.where == "roads"
    assert "row 2" in info.value.message and "LineString" in info.value.message
    assert res.geometry is not None  # unchanged


def test_unknown_by_column_and_non_spatial_resource():
    with pytest.raises(SpecError):
        apply(pkg(defects()), by=["strasse"])
    plain = Resource(name="t", format="csv", descriptor={"name": "t"},
                     data=pd.DataFrame({"a": ["1"]}, index=[2]))
    with pytest.raises(InputError):
        apply(pkg(plain))


def test_only_spatial_resources_are_aggregated_when_none_is_named():
    plain = Resource(name="t", format="csv", descriptor={"name": "t"},
                     data=pd.DataFrame({"a": ["1"]}, index=[2]))
    geo = defects()
    outcome = apply(pkg(plain, geo), min_count=1)
    assert list(outcome.stats["resources"]) == ["defects"]
    assert list(plain.table().columns) == ["a"]
    assert any("t: not spatial" in note for note in outcome.notes)


@pytest.mark.parametrize("params", [{"resolution": 200}, {"min_count": 0}, {"bye": ["x"]}])
def test_params_are_checked(params: dict[str, Any]):
    with pytest.raises(ValidationError):
        GridAggregateParams.model_validate(params)


def test_missing_by_values_form_their_own_group_without_a_primary_key() -> None:
    points = gpd.GeoDataFrame(
        {"kind": ["a", "a", "", ""]},
        geometry=[Point(12.37, 51.34)] * 4, crs="EPSG:4326", index=[2, 3, 4, 5])
    resource = Resource(name="r", format="csv", descriptor={"schema": {"fields": [
        {"name": "kind", "type": "string"}]}}, geometry=GeometrySpec(kind="native"),
        data=points)
    GridAggregate(GridAggregateParams(by=["kind"], min_count=2)).apply(
        Package(root=Path("."), descriptor={}, resources=[resource]))
    assert sorted(resource.table()["kind"]) == ["", "a"]
    assert "primaryKey" not in resource.schema
