from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from pydantic import ValidationError
from shapely.geometry import Point

from publisher.errors import SpecError
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.steps.base import steps
from publisher.steps.drop_columns import DropColumns, DropColumnsParams


def field(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "type": kind}


def people() -> Resource:
    data = pd.DataFrame({"id": ["1", "2"], "name": ["Anna", "Ben"],
                         "email": ["a@example.de", "b@example.de"], "ort": ["A", "B"]},
                        index=[2, 3])
    schema = {
        "fields": [field("id", "integer"), field("name"), field("email"), field("ort")],
        "primaryKey": ["id", "email"],
        "foreignKeys": [
            {"fields": "email", "reference": {"resource": "contacts", "fields": "mail"}},
            {"fields": ["ort"], "reference": {"resource": "places", "fields": ["ort"]}},
        ],
        "uniqueKeys": [["name", "email"], ["id"]],
    }
    return Resource(name="people", format="csv", path=Path("people.csv"),
                    descriptor={"name": "people", "path": "people.csv", "schema": schema,
                                "hash": "sha256:abc", "bytes": 12},
                    data=data)


def points(kind: str = "latlon") -> Resource:
    data = gpd.GeoDataFrame({"art": ["Laterne", "Bank"]},
                            geometry=[Point(7.62, 51.96), Point(7.63, 51.97)],
                            crs="EPSG:4326", index=[2, 3])
    if kind == "latlon":
        spec = GeometrySpec(kind="latlon", lat="lat", lon="lon")
        fields = [field("art"), field("lat", "number"), field("lon", "number")]
    elif kind == "wkt":
        spec = GeometrySpec(kind="wkt", column="wkt")
        fields = [field("art"), field("wkt")]
    else:
        spec = GeometrySpec(kind="native")
        fields = [field("art")]
    descriptor = {"name": "points", "schema": {"fields": fields},
                  "geometry": {"kind": kind}}
    fmt = "geojson" if kind == "native" else "csv"
    return Resource(name="points", format=fmt, path=Path(f"points.{fmt}"),
                    descriptor=descriptor, geometry=spec, data=data)


def apply(package: Package, **params: Any) -> Any:
    return DropColumns(DropColumnsParams.model_validate(params)).apply(package)


def pkg(*resources: Resource) -> Package:
    return Package(root=Path("."), descriptor={"name": "p"}, resources=list(resources),
                   source="datapackage.json")


def test_registered_under_its_type():
    assert steps.get("drop-columns") is DropColumns


def test_drops_from_data_and_schema_with_keys():
    res = people()
    outcome = apply(pkg(res), columns=["email"])
    assert list(res.table().columns) == ["id", "name", "ort"]
    assert list(res.table().index) == [2, 3]
    assert res.field_names == ["id", "name", "ort"]
    schema = res.schema
    assert "primaryKey" not in schema
    assert schema["foreignKeys"] == [
        {"fields": ["ort"], "reference": {"resource": "places", "fields": ["ort"]}}]
    assert schema["uniqueKeys"] == [["id"]]
    assert outcome.stats == {"columns_dropped": {"people": ["email"]}}
    assert res.path is None  # the source file still holds the column
    assert "hash" not in res.descriptor and "bytes" not in res.descriptor


def test_keys_untouched_by_the_drop_stay():
    res = people()
    apply(pkg(res), columns=["ort"])
    assert res.schema["primaryKey"] == ["id", "email"]
    assert [k["fields"] for k in res.schema["foreignKeys"]] == ["email"]
    assert res.schema["uniqueKeys"] == [["name", "email"], ["id"]]


def test_unknown_column_is_a_spec_error_naming_column_and_resource():
    res = people()
    with pytest.raises(SpecError) as info:
        apply(pkg(res), columns=["emial"])
    assert "'emial'" in info.value.message and "people" in info.value.message
    assert "email" in list(res.table().columns)  # nothing half-done


def test_column_only_in_an_unselected_resource_is_an_error():
    with pytest.raises(SpecError):
        apply(pkg(people(), points()), columns=["art"], resource="people")


def test_column_in_some_resources_is_dropped_there():
    res, geo = people(), points()
    outcome = apply(pkg(res, geo), columns=["art", "name"])
    assert "art" not in geo.table().columns and "name" not in res.table().columns
    assert outcome.stats["columns_dropped"] == {"people": ["name"], "points": ["art"]}
    assert geo.is_spatial  # art is not a geometry column


def test_dropping_lat_removes_the_geometry_and_lon():
    geo = points("latlon")
    outcome = apply(pkg(geo), columns=["lat"])
    table = geo.table()
    assert type(table) is pd.DataFrame
    assert list(table.columns) == ["art"]
    assert geo.geometry is None and not geo.is_spatial
    assert "geometry" not in geo.descriptor
    assert geo.field_names == ["art"]
    assert outcome.stats["columns_dropped"] == {"points": ["lat", "lon"]}
    assert any("lon" in note for note in outcome.notes)


def test_dropping_the_wkt_column_removes_the_geometry():
    geo = points("wkt")
    apply(pkg(geo), columns=["wkt"])
    assert geo.geometry is None and type(geo.table()) is pd.DataFrame
    assert geo.field_names == ["art"] and geo.format == "csv"


def test_dropping_native_geometry_makes_a_csv_table():
    geo = points("native")
    apply(pkg(geo), columns=["geometry"])
    assert geo.geometry is None and list(geo.table().columns) == ["art"]
    assert geo.format == "csv" and geo.path is None
    assert geo.descriptor["mediatype"] == "text/csv"


def test_params_need_columns():
    with pytest.raises(ValidationError):
        DropColumnsParams.model_validate({"columns": []})
    with pytest.raises(ValidationError):
        DropColumnsParams.model_validate({"column": ["x"]})
