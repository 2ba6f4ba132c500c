"""Writes the raw files of the `publisher init` tests, one function per format.

The files are small and synthetic (Musterstadt lies in Leipzig's extent);
the tests call these functions into a temporary directory, so no binary file
is kept in git. Run as a script to look at them: python generate.py DIR
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

CATEGORIES = ("Schlagloch", "Straßenbeleuchtung", "Müll", "Graffiti")
PEOPLE = ("Yvonne Weiß", "Jürgen Müller", "Clara Neumann", "Hans Schäfer")
# Raw values that must never reach pipeline.yaml (tests look for them).
SECRETS = (*PEOPLE, "0341 4935896", "jm@example.org", "0176 5550123")


def _points(rng: random.Random, n: int) -> list[tuple[float, float]]:
    return [(12.37 + rng.random() * 0.02, 51.33 + rng.random() * 0.02) for _ in range(n)]


def german_csv(directory: Path) -> Path:
    """Defect reports as a German office exports them: Windows-1252, ';', decimal
    commas with '.' groups, dd.mm.yyyy dates, 'k.A.' and '-' for missing values,
    a reporter's name and free text with phone numbers and e-mail addresses."""
    rng = random.Random(7)
    rows = ["Nr;Eingang;Uhrzeit;Kategorie;Beschreibung;Melder;Breite;Länge;Kosten;Status"]
    texts = ("Lampe defekt", "Rückruf unter 0341 4935896", "Bitte melden: jm@example.org", "",
             "Großer Haufen")
    for number, (lon, lat) in enumerate(_points(rng, 40), start=1):
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        when = rng.choice([f"{day:02d}.{month:02d}.2024 {rng.randint(0, 23):02d}:"
                           f"{rng.randint(0, 59):02d}", "-"])
        cells = [str(number), f"{day:02d}.{month:02d}.2024", when, rng.choice(CATEGORIES),
                 rng.choice(texts), rng.choice(PEOPLE), f"{lat:.6f}".replace(".", ","),
                 f"{lon:.6f}".replace(".", ","), rng.choice(["1.234,50", "12,5", "k.A.", "300"]),
                 rng.choice(["offen", "erledigt"])]
        rows.append(";".join(cells))
    path = directory / "maengel.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return path


def xlsx(directory: Path) -> Path:
    """A statistics office's workbook: a sheet with a title row above its header,
    one with playground positions in latitude/longitude columns, and an empty one."""
    import openpyxl

    book = openpyxl.Workbook()
    people = book.active
    assert people is not None
    people.title = "Bevölkerung"
    people.append(["Bevölkerung nach Stadtbezirken, Stichtag 31.12.2024"])
    people.append([])
    people.append(["Bezirk", "Schlüssel", "Einwohner", "Anteil", "Stichtag", "Fläche km²"])
    for i, (name, count) in enumerate((("Mitte", 12345), ("Nord", 23456), ("Süd", 3456),
                                       ("Ost", 45678), ("West", 5678)), start=1):
        people.append([name, f"{i:02d}", count, round(count / 90613, 4),
                       dt.date(2024, 12, 31), 3.25 * i])
    playgrounds = book.create_sheet("Spielplätze")
    playgrounds.append(["Nr", "Bezeichnung", "Breite", "Länge", "Geräte", "Geprüft"])
    rng = random.Random(11)
    for number, (lon, lat) in enumerate(_points(rng, 12), start=1):
        playgrounds.append([number, f"Spielplatz {number}", round(lat, 6), round(lon, 6),
                            rng.randint(2, 9), dt.datetime(2024, 5, number, 9, 30)])
    book.create_sheet("Leer")
    path = directory / "statistik.xlsx"
    book.save(path)
    return path


_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_ODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Haushalte">
"""
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>\n"
_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_cell(value: object) -> str:
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" '
                f'office:date-value="{value.isoformat()}"><text:p>{value:%d.%m.%Y}</text:p>'
                "</table:table-cell>")
    if isinstance(value, int | float):
        shown = str(value).replace(".", ",")
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{shown}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>")


def ods(directory: Path) -> Path:
    """An OpenDocument sheet as LibreOffice stores it: typed float and date cells."""
    rows: list[list[object]] = [["Bezirk", "Jahr", "Haushalte", "Personen je Haushalt",
                                 "Stand"]]
    for i, name in enumerate(("Mitte", "Nord", "Süd", "Ost", "West")):
        for year in (2023, 2024):
            rows.append([name, year, 4000 + 731 * i + year % 7, round(1.7 + i / 10, 2),
                         dt.date(year, 12, 31)])
    body = "".join("<table:table-row>" + "".join(_ods_cell(c) for c in row) +
                   "</table:table-row>\n" for row in rows)
    path = directory / "haushalte.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME)  # stored, first, as ODF asks
        zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST.format(mime=_ODS_MIME),
                    compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", _ODS_HEAD + body + _ODS_TAIL,
                    compress_type=zipfile.ZIP_DEFLATED)
    return path


def _districts() -> gpd.GeoDataFrame:
    """Five district polygons in EPSG:25832 (UTM 32N) with German names."""
    names = ("Mitte", "Nord", "Süd", "Ost", "Weißenfels-Straße")
    shapes = [shapely.box(315000 + 2000 * i, 5690000, 317000 + 2000 * i, 5692000)
              for i in range(5)]
    return gpd.GeoDataFrame({"bezirk_nr": list(range(1, 6)), "bezirk": list(names),
                             "flaeche_ha": [400.0] * 5}, geometry=shapes, crs="EPSG:25832")


def shapefile(directory: Path) -> Path:
    """District polygons as a Shapefile in Windows-1252 (.cpg says so), with .prj."""
    path = directory / "bezirke.shp"
    _districts().to_file(path, driver="ESRI Shapefile", engine="pyogrio", encoding="cp1252")
    return path


def zipped_shapefile(directory: Path) -> Path:
    parts = directory / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    shp = shapefile(parts)
    path = directory / "bezirke.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(parts.iterdir()):
            if part.stem == shp.stem:
                zf.write(part, f"bezirke/{part.name}")
    return path


def gpkg(directory: Path) -> Path:
    """Two layers: street trees (points, EPSG:25833) and districts (polygons)."""
    rng = random.Random(5)
    trees = gpd.GeoDataFrame(
        {"baum_id": list(range(1, 31)),
         "gattung": [rng.choice(["Linde", "Ahorn", "Eiche"]) for _ in range(30)],
         "pflanzjahr": [rng.randint(1950, 2020) for _ in range(30)]},
        geometry=[shapely.Point(x, y) for x, y in _points(rng, 30)], crs="EPSG:4326",
    ).to_crs("EPSG:25833")
    path = directory / "stadtgruen.gpkg"
    trees.to_file(path, layer="baeume", driver="GPKG", engine="pyogrio")
    _districts().to_file(path, layer="bezirke", driver="GPKG", engine="pyogrio")
    return path


def geojson(directory: Path) -> Path:
    """Bulky waste pick-ups as points, with the caller's phone number."""
    rng = random.Random(3)
    frame = gpd.GeoDataFrame(
        {"auftrag": list(range(1, 21)),
         "termin": [f"2024-03-{d:02d}" for d in rng.choices(range(1, 29), k=20)],
         "telefon": [rng.choice(["0176 5550123", "0341 4935896"]) for _ in range(20)],
         "stueckzahl": [rng.randint(1, 6) for _ in range(20)]},
        geometry=[shapely.Point(x, y) for x, y in _points(rng, 20)], crs="EPSG:4326")
    path = directory / "sperrmuell.geojson"
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


def geoparquet(directory: Path) -> Path:
    """Cycle paths as lines in EPSG:25832."""
    lines = [shapely.LineString([(315000 + 300 * i, 5690000), (315200 + 300 * i, 5691500)])
             for i in range(6)]
    frame = gpd.GeoDataFrame({"weg_id": list(range(1, 7)),
                              "belag": ["Asphalt", "Pflaster", "Asphalt", "Schotter",
                                        "Asphalt", "Pflaster"],
                              "breite_m": [2.5, 1.8, 3.0, 2.0, 2.25, 1.5]},
                             geometry=lines, crs="EPSG:25832")
    path = directory / "radwege.parquet"
    frame.to_parquet(path)
    return path


def flatgeobuf(directory: Path) -> Path:
    """Bus stops as points in WGS 84."""
    rng = random.Random(9)
    frame = gpd.GeoDataFrame(
        {"haltestelle": [f"Haltestelle {i}" for i in range(1, 16)],
         "linien": [rng.randint(1, 4) for _ in range(15)]},
        geometry=[shapely.Point(x, y) for x, y in _points(rng, 15)], crs="EPSG:4326")
    path = directory / "haltestellen.fgb"
    frame.to_file(path, driver="FlatGeobuf", engine="pyogrio")
    return path


WRITERS = {"csv": german_csv, "xlsx": xlsx, "ods": ods, "shp": shapefile,
           "shp-zip": zipped_shapefile, "gpkg": gpkg, "geojson": geojson,
           "geoparquet": geoparquet, "fgb": flatgeobuf}


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "init-raw")
    target.mkdir(parents=True, exist_ok=True)
    for name, writer in WRITERS.items():
        print(name, writer(target))
