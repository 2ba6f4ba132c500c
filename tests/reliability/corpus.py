"""The bad-input corpus in tests/cases/bad/: what each case expects, and how to
lay it out in a scratch directory (symbolic links, big files and GeoPackages
are made there, at test time, rather than kept in git).

Each case is a directory with a one-line README.md:

    Bad: <what is wrong>. Expect: exit <run code>[ (validate <code>)]; <expectation>.

where <expectation> is `message "<text in the error>"` (exit 2: unusable input)
or `finding <type>[ in <resource>][ row <n>][ field <name>]` (exit 1: a
finding blocks). Without "(validate N)", `publisher validate` exits with the
same code as `publisher run`. `make reliability` counts the cases with
`cases()`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

BAD = Path(__file__).resolve().parents[1] / "cases" / "bad"
_EXPECT = re.compile(
    r"Expect: exit (?P<run>[12])(?: \(validate (?P<validate>[012])\))?; "
    r'(?:message "(?P<message>[^"]+)"'
    r"|finding (?P<finding>[a-z-]+)(?: in (?P<resource>[\w.-]+))?(?: row (?P<row>\d+))?"
    r"(?: field (?P<field>[\w.-]+))?)\.\s*$"
)


@dataclass(frozen=True)
class Case:
    name: str
    directory: Path
    summary: str  # the README line
    exit_run: int  # `publisher run` on a pipeline pointing at the case
    exit_validate: int  # `publisher validate` on the case
    message: str | None = None  # text the error names (exit 2)
    finding: str | None = None  # finding type that blocks (exit 1)
    resource: str | None = None
    row: int | None = None
    field: str | None = None

    def materialise(self, scratch: Path) -> Path:
        """Copy the case into `scratch`, build what git does not hold, and
        return the package source to hand to the publisher."""
        target = scratch / self.name
        shutil.copytree(self.directory, target, symlinks=True)
        builder = BUILDERS.get(self.name)
        if builder is not None:
            builder(target)
        archive = target / "package.zip"
        return archive if archive.exists() else target


def parse_readme(directory: Path) -> Case:
    """The case the README of `directory` describes; ValueError if it says no expectation."""
    text = (directory / "README.md").read_text("utf-8")
    match = _EXPECT.search(text)
    if not match or not text.startswith("Bad:"):
        raise ValueError(f"{directory.name}: README.md does not state 'Bad: ... Expect: ...'")
    run = int(match["run"])
    return Case(
        name=directory.name,
        directory=directory,
        summary=text.strip().splitlines()[0],
        exit_run=run,
        exit_validate=int(match["validate"]) if match["validate"] else run,
        message=match["message"],
        finding=match["finding"],
        resource=match["resource"],
        row=int(match["row"]) if match["row"] else None,
        field=match["field"],
    )


def cases() -> list[Case]:
    """Every case of the corpus, sorted by name."""
    return [parse_readme(d) for d in sorted(BAD.iterdir()) if d.is_dir()]


# ---------------------------------------------------------------- builders

def _link(name: str, to: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        os.symlink(to, root / name)

    return build


def _symlink_loop(root: Path) -> None:
    os.symlink("loop.csv", root / "playgrounds.csv")
    os.symlink("playgrounds.csv", root / "loop.csv")


def _many_entries(root: Path) -> None:
    with zipfile.ZipFile(root / "package.zip", "w") as zf:
        for i in range(10_001):
            zf.writestr(f"f{i}.txt", b"")


def _huge_line(root: Path) -> None:
    cell = "9" * 3 * 1024**2 + "x"
    (root / "playgrounds.csv").write_text(
        f"id,name,equipment_count,district\n1,Lindenpark,{cell},Mitte\n2,Kirchgasse,3,Nord\n",
        encoding="utf-8")


def _huge_header(root: Path) -> None:
    (root / "playgrounds.csv").write_text(
        "id," + "n" * 2 * 1024**2 + ",equipment_count,district\n1,a,2,Mitte\n", encoding="utf-8")


def _gpkg(root: Path, *, crs: str | None = "EPSG:4326", invalid: bool = False,
          geometry: bool = True) -> None:
    square = shapely.box(12.355, 51.328, 12.361, 51.332)
    bow_tie = shapely.Polygon([(12.370, 51.340), (12.372, 51.342), (12.372, 51.340),
                               (12.370, 51.342)])
    frame = gpd.GeoDataFrame(
        {"area_id": ["GF-0001", "GF-0002"], "name": ["Lindenpark", "Mühlgraben"]},
        geometry=[square, bow_tie if invalid else square], crs=crs)
    path = root / "areas.gpkg"
    if geometry:
        frame.to_file(path, driver="GPKG", engine="pyogrio", layer="areas")
    else:
        pyogrio.write_dataframe(pd.DataFrame(frame.drop(columns="geometry")), path,
                                driver="GPKG", layer="areas")


def _fifo(name: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        os.mkfifo(root / name)

    return build


def _deep_flow(root: Path) -> None:
    (root / "datapackage.yaml").write_text(
        "name: deep\nresources: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")


def _many_resources(root: Path) -> None:
    resources = [{"name": f"r{i}", "path": "playgrounds.csv", "format": "csv"}
                 for i in range(3000)]
    (root / "datapackage.json").write_text(json.dumps(
        {"name": "many", "licenses": [{"name": "dl-by-de/2.0"}], "resources": resources}),
        encoding="utf-8")


def _long_line(root: Path) -> None:
    with open(root / "playgrounds.csv", "w", encoding="utf-8") as fh:
        fh.write("id,name,equipment_count,district\n1,Lindenpark,3,Mitte\n2,Kirchgasse,4,")
        fh.write("N" * (20 * 1024**2 - 20) + "\n3,Uferdamm,2,Süd\n")


def _big_cell(root: Path) -> None:
    with open(root / "playgrounds.csv", "w", encoding="utf-8") as fh:
        fh.write('id,name,equipment_count,district\n1,"' + "L" * 9 * 1024**2 + '",3,Mitte\n')


def _wide(root: Path) -> None:
    header = ",".join(f"c{i}" for i in range(100_000))
    (root / "playgrounds.csv").write_text(f"{header}\n{','.join(['1'] * 100_000)}\n",
                                          encoding="utf-8")


def _gpkg_sql(*statements: str, **kwargs: Any) -> Callable[[Path], None]:
    """A valid GeoPackage, then SQL run on it (views, odd values)."""
    def build(root: Path) -> None:
        _gpkg(root, **kwargs)
        with closing(sqlite3.connect(root / "areas.gpkg")) as db:
            # the spatial index triggers GDAL made call these (SpatiaLite's names)
            db.create_function("ST_IsEmpty", 1, lambda blob: 0)
            for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
                db.create_function(name, 1, lambda blob: 0.0)
            for statement in statements:
                db.execute(statement)
            db.commit()

    return build


def _wkt(row: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / "areas.csv").write_text(
            f'id,name,wkt\n1,Fläche 1,"POINT (12.37 51.34)"\n2,Fläche 2,"{row}"\n',
            encoding="utf-8")

    return build


def _deep_geojson(root: Path) -> None:
    point = '{"type": "Point", "coordinates": [12.37, 51.34]}'
    feature = ('{"type": "Feature", "properties": {"area_id": "GF-%d", "name": "Park"}, '
               '"geometry": %s}')
    deep = '{"type": "GeometryCollection", "geometries": [' * 100_000 + point + "]}" * 100_000
    features = [feature % (1, point), feature % (2, point), feature % (3, deep)]
    (root / "green-areas.geojson").write_text(
        '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}",
        encoding="utf-8")


BUILDERS: dict[str, Callable[[Path], None]] = {
    "geom-wkt-deep-collection": _wkt("GEOMETRYCOLLECTION (" * 100_000 + "POINT (12.3 51.3)"
                                     + ")" * 100_000),
    "geom-wkt-too-many-vertices": _wkt("LINESTRING (" + ", ".join(["1 2"] * 1_000_001) + ")"),
    "geojson-deep-collection": _deep_geojson,
    "gpkg-recursive-view": _gpkg_sql(
        "CREATE VIEW loop AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
        "SELECT x AS fid, 'GF' AS area_id FROM r"),
    "gpkg-zeroblob-view": _gpkg_sql(
        "CREATE VIEW big AS SELECT fid, geom, area_id, zeroblob(400000000) AS name FROM areas",
        "UPDATE gpkg_contents SET table_name = 'big', identifier = 'big' "
        "WHERE table_name = 'areas'",
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES ('areas', 'features', 'areas', 4326)",
        "UPDATE gpkg_geometry_columns SET table_name = 'big' WHERE table_name = 'areas'",
        "INSERT INTO gpkg_geometry_columns VALUES ('areas', 'geom', 'POLYGON', 4326, 0, 0)"),
    "gpkg-nul-in-text": _gpkg_sql(
        "UPDATE areas SET name = CAST(x'4dc3bc686c00677261626e' AS TEXT) WHERE fid = 2"),
    "gpkg-large-blob": _gpkg_sql(
        "ALTER TABLE areas ADD COLUMN photo BLOB",
        "UPDATE areas SET photo = randomblob(9 * 1024 * 1024) WHERE fid = 1"),
    "csv-line-over-limit": _long_line,
    "csv-cell-over-limit": _big_cell,
    "csv-too-many-columns": _wide,
    "descriptor-fifo": _fifo("datapackage.json"),
    "descriptor-link-to-dev-zero": _link("datapackage.json", "/dev/zero"),
    "zip-fifo": _fifo("package.zip"),
    "zip-link-to-dev-zero": _link("package.zip", "/dev/zero"),
    "path-fifo": _fifo("playgrounds.csv"),
    "descriptor-yaml-deep-flow": _deep_flow,
    "descriptor-too-many-resources": _many_resources,
    "symlink-file-outside": _link("playgrounds.csv", "/etc/passwd"),
    "symlink-dir-outside": _link("data", "/"),
    "symlink-loop": _symlink_loop,
    "symlink-dangling": _link("playgrounds.csv", "gone.csv"),
    "symlink-schema-outside": _link("schema.json", "/etc/passwd"),
    "zip-too-many-entries": _many_entries,
    "csv-huge-line": _huge_line,
    "csv-huge-header": _huge_header,
    "gpkg-no-crs": lambda root: _gpkg(root, crs=None),
    "gpkg-missing-layer": _gpkg,
    "gpkg-no-geometry": lambda root: _gpkg(root, geometry=False),
    "gpkg-invalid-geometry": lambda root: _gpkg(root, invalid=True),
}
