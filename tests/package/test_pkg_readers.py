from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from publisher.errors import InputError
from publisher.package.loader import load_package
from publisher.package.model import Resource

CASES = Path(__file__).resolve().parents[1] / "cases" / "package"


@pytest.fixture(scope="module")
def city() -> dict[str, Resource]:
    return {r.name: r for r in load_package(CASES / "city").resources}


def test_latlon_csv(city: dict[str, Resource]) -> None:
    table = city["haltestellen"].table()
    assert isinstance(table, gpd.GeoDataFrame)
    assert table.index.tolist() == [2, 3, 4, 5]
    assert table.columns.tolist() == ["id", "name", "barrierefrei", "geometry"]
    assert table.crs.to_epsg() == 4326
    assert table.geometry.iloc[0].equals_exact(shapely.Point(13.404954, 52.520008), 0)
    assert table.geometry.isna().tolist() == [False, False, True, True]  # empty / not a number
    assert table.loc[3, "name"] == "Rathaus, Nord"
    assert all(pd.api.types.is_string_dtype(table[c]) for c in ("id", "name", "barrierefrei"))


def test_wkt_csv_in_etrs89_utm(city: dict[str, Resource]) -> None:
    table = city["baustellen"].table()
    assert table.crs.to_epsg() == 25832
    assert "geom" not in table.columns and table.geometry.name == "geometry"
    assert table.geom_type.fillna("none").tolist() == ["Point", "LineString", "none", "Polygon"]
    assert table.index.tolist() == [2, 3, 4, 5]


def test_plain_csv_with_bom_delimiter_and_blank_row(city: dict[str, Resource]) -> None:
    table = city["einwohner"].table()
    assert not isinstance(table, gpd.GeoDataFrame)
    assert table.columns.tolist() == ["bezirk", "jahr", "anzahl"]  # BOM stripped
    assert table.index.tolist() == [2, 3, 4, 5]
    assert list(table.loc[4]) == ["", "", ""]  # blank line kept as a row
    assert table.loc[3, "anzahl"] == "" and table.loc[5, "anzahl"] == "1250"


def test_geojson_points(city: dict[str, Resource]) -> None:
    table = city["spielplaetze"].table()
    assert table.index.tolist() == [1, 2, 3]
    assert table.crs.to_epsg() == 4326
    assert table["flaeche_m2"].tolist() == [850, 2300, 1200]
    assert set(table.geom_type) == {"Point"}


def test_geojson_polygons_keep_invalid_geometry(city: dict[str, Resource]) -> None:
    table = city["bezirke"].table()
    assert table.index.tolist() == [1, 2]
    assert table.is_valid.tolist() == [True, False]  # the bow tie is read, not rejected
    assert table["code"].tolist() == ["01", "02"]


def write_gpkg(path: Path) -> None:
    pts = gpd.GeoDataFrame(
        {"name": ["a", "b"], "wert": [1.5, 2.5]},
        geometry=[shapely.Point(391000, 5820000), shapely.Point(391500, 5820500)],
        crs="EPSG:25832",
    )
    pts.to_file(path, layer="punkte", driver="GPKG", engine="pyogrio")
    bowtie = shapely.from_wkt("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")
    areas = gpd.GeoDataFrame({"flaeche": ["x"]}, geometry=[bowtie], crs="EPSG:3035")
    areas.to_file(path, layer="flaechen", driver="GPKG", engine="pyogrio")


@pytest.mark.parametrize(("layer", "epsg", "rows"), [(None, 25832, 2), ("flaechen", 3035, 1)])
def test_geopackage_layers(
    make_package: Any, tmp_path: Path, layer: str | None, epsg: int, rows: int
) -> None:
    write_gpkg(tmp_path / "geo.gpkg")
    extra = {"layer": layer} if layer else {}
    root = make_package(
        [{"name": "geo", "path": "geo.gpkg", **extra}],
        {"geo.gpkg": (tmp_path / "geo.gpkg").read_bytes()},
    )
    resource = load_package(root).resources[0]
    assert resource.geometry is not None and resource.geometry.crs == f"EPSG:{epsg}"
    table = resource.table()
    assert table.crs.to_epsg() == epsg
    assert table.index.tolist() == list(range(1, rows + 1))
    assert table.geometry.name == "geometry"
    if layer == "flaechen":
        assert not table.is_valid.iloc[0]


def test_geopackage_unknown_layer(make_package: Any, tmp_path: Path) -> None:
    write_gpkg(tmp_path / "geo.gpkg")
    root = make_package(
        [{"name": "geo", "path": "geo.gpkg", "layer": "strassen"}],
        {"geo.gpkg": (tmp_path / "geo.gpkg").read_bytes()},
    )
    with pytest.raises(InputError, match="resource 'geo': layer 'strassen' is not in"):
        load_package(root)


@pytest.mark.parametrize("name", ["broken.geojson", "broken.gpkg"])
def test_malformed_geodata_is_input_error(make_package: Any, name: str) -> None:
    root = make_package(
        [{"name": "geo", "path": name}],
        {name: '{"type": "FeatureCollection", "features": [ {"type": '},
    )
    with pytest.raises(InputError, match="resource 'geo'"):
        load_package(root).resources[0].table()


def read(make_package: Any, content: str | bytes, **extra: Any) -> pd.DataFrame:
    root = make_package([{"name": "meldungen", "path": "m.csv", **extra}], {"m.csv": content})
    return load_package(root).resources[0].table()


def test_row_longer_than_header_is_cut_to_the_header(make_package: Any) -> None:
    # the row rules (publisher.package.csvio.rows): the check reports the row
    table = load_package(CASES / "ragged").resources[0].table()
    assert list(table.columns) == ["id", "text", "status"]
    assert table.loc[3].tolist() == ["2", "b", "offen"]


def test_row_shorter_than_header_after_multiline_cell_is_padded(make_package: Any) -> None:
    # header = row 1, quoted two-line record = row 2, blank line = row 3
    csv = 'id,text,status\n1,"zwei\nZeilen",offen\n\n3,kurz\n4,x,\n'
    table = read(make_package, csv)
    assert table.index.tolist() == [2, 3, 4, 5]
    assert table.loc[4].tolist() == ["3", "kurz", ""]
    assert table.loc[5].tolist() == ["4", "x", ""]
    assert table.loc[2, "text"] == "zwei\nZeilen"


def test_empty_last_cells_and_quoted_newlines_are_fine(make_package: Any) -> None:
    table = read(make_package, 'id,text,status\n1,"zwei\nZeilen",\n2,,\n')
    assert table.index.tolist() == [2, 3]
    assert table.loc[2, "text"] == "zwei\nZeilen"


def test_decode_error_names_resource_and_hints_encoding(make_package: Any) -> None:
    with pytest.raises(InputError) as err:
        read(make_package, "id,name\n1,Gärtner\n".encode("latin-1"))
    assert "resource 'meldungen'" in str(err.value) and "utf-8" in str(err.value)
    assert err.value.hint is not None and "encoding" in err.value.hint


def test_declared_encoding_is_used(make_package: Any) -> None:
    table = read(make_package, "id,name\n1,Gärtner\n".encode("cp1252"), encoding="cp1252")
    assert table.loc[2, "name"] == "Gärtner"


@pytest.mark.parametrize("encoding", ["utf-32", "utf-16"])
def test_wide_encoding_with_its_own_bom_is_read(make_package: Any, encoding: str) -> None:
    # the UTF-32 LE mark starts with the UTF-16 LE one; only the first match counts
    table = read(make_package, "id,name\n1,Gärtner\n".encode(encoding), encoding=encoding)
    assert table.loc[2, "name"] == "Gärtner"


def test_unknown_encoding(make_package: Any) -> None:
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read(make_package, "id\n1\n", encoding="klingon")


def test_quote_char_and_delimiter_from_dialect(make_package: Any) -> None:
    table = read(make_package, "id|text\n1|'a|b'\n", dialect={"delimiter": "|", "quoteChar": "'"})
    assert table.loc[2, "text"] == "a|b"


def test_frictionless_v5_dialect_controls(make_package: Any) -> None:
    table = read(
        make_package, "id;text\n1;a\n", dialect={"controls": [{"type": "csv", "delimiter": ";"}]}
    )
    assert table.columns.tolist() == ["id", "text"]


def test_duplicate_header_and_empty_file(make_package: Any) -> None:
    with pytest.raises(InputError, match="duplicate column names in the header: 'id'"):
        read(make_package, "id,id\n1,2\n")


def test_empty_file(make_package: Any) -> None:
    with pytest.raises(InputError, match="resource 'meldungen': the CSV file is empty"):
        read(make_package, "")


def test_unclosed_quote_runs_to_the_end_of_the_file(make_package: Any) -> None:
    # as Python's csv module (and so frictionless) reads it
    table = read(make_package, 'id,text,status\n1,"offen\n2,b,c\n')
    assert table.index.tolist() == [2]
    assert table.loc[2].tolist() == ["1", "offen\n2,b,c\n", ""]


def test_wkt_that_cannot_be_parsed_becomes_none(make_package: Any) -> None:
    table = read(make_package, 'id,wkt\n1,POINT (1 2)\n2,kein wkt\n3,\n4,"POLYGON ((0 0"\n')
    assert table.geometry.isna().tolist() == [False, True, True, True]


def test_header_without_geometry_columns_named_in_spec(make_package: Any) -> None:
    schema = {"fields": [{"name": "id"}, {"name": "lat"}, {"name": "lon"}]}
    with pytest.raises(InputError, match="resource 'meldungen': geometry column"):
        read(make_package, "id,y,x\n1,52,13\n", schema=schema)


def test_geojson_dates_stay_text(make_package: Any) -> None:
    geojson = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"gemeldet": "2024-05-01T10:00:00", "tag": "2024-05-01"}, "geometry": null}]}'
    )
    root = make_package([{"name": "geo", "path": "g.geojson"}], {"g.geojson": geojson})
    table = load_package(root).resources[0].table()
    assert table.loc[1, "gemeldet"] == "2024-05-01T10:00:00" and table.loc[1, "tag"] == "2024-05-01"
    assert table.geometry.isna().all()
