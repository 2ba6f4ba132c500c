"""`publisher init` recognises the conventions of German CSV files (issue 19)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from publisher.cli import app
from publisher.init import init_package
from tests.cases.init import generate

runner = CliRunner()

HEADER = "Nr;Datum;Zeit;Betrag;Einwohner;PLZ;Offen;Breite;Länge;Notiz"
ROWS = (
    "1;15.01.2024;15.01.2024 10:30;1.234,50;12.345;01067;ja;51,3397;12,3731;k.A.",
    "2;1.2.2024;01.02.2024 08:00;12,5;2.000;04109;nein;51,3501;12,3802;",
    "3;31.12.2023;-;k.A.;-;10115;ja;51,3203;12,3704;Baustelle",
)


def _write(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def _describe(tmp_path: Path, *raw: Path, **options: Any) -> dict[str, Any]:
    result = init_package(list(raw), tmp_path / "out", licence="dl-by-de/2.0",
                          publisher="Stadt Musterstadt", **options)
    assert result.validation.valid, [f.message for f in result.validation.findings]
    descriptor: dict[str, Any] = json.loads((tmp_path / "out" / "datapackage.json")
                                            .read_text(encoding="utf-8"))
    return descriptor


def _fields(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in resource["schema"]["fields"]}


@pytest.fixture
def german(tmp_path: Path) -> dict[str, Any]:
    raw = _write(tmp_path / "raw" / "stadt.csv", "\r\n".join([HEADER, *ROWS]) + "\r\n")
    resource: dict[str, Any] = _describe(tmp_path, raw)["resources"][0]
    return resource


def test_windows_1252_and_semicolon(german: dict[str, Any]) -> None:
    assert german["encoding"] == "cp1252"
    assert german["dialect"] == {"delimiter": ";"}
    assert german["path"] == "data/stadt.csv"


def test_decimal_comma_and_group_point(german: dict[str, Any]) -> None:
    fields = _fields(german)
    assert fields["Betrag"] == {"name": "Betrag", "type": "number", "decimalChar": ",",
                                "groupChar": "."}
    # "12.345" fits both conventions: a ';' file reads it German, as twelve thousand
    assert fields["Einwohner"]["groupChar"] == "."


def test_dates_and_times_with_their_formats(german: dict[str, Any]) -> None:
    fields = _fields(german)
    assert fields["Datum"] == {"name": "Datum", "type": "date", "format": "%d.%m.%Y"}
    assert fields["Zeit"] == {"name": "Zeit", "type": "datetime", "format": "%d.%m.%Y %H:%M"}


def test_missing_values_declared_where_they_hide_a_type(german: dict[str, Any]) -> None:
    assert german["schema"]["missingValues"] == ["", "-", "k.A."]


def test_codes_with_leading_zeros_stay_text_and_ja_nein_is_boolean(
        german: dict[str, Any]) -> None:
    fields = _fields(german)
    assert fields["PLZ"]["type"] == "string"
    assert fields["Offen"] == {"name": "Offen", "type": "boolean", "trueValues": ["ja"],
                               "falseValues": ["nein"]}
    assert fields["Notiz"]["type"] == "string"


def test_primary_key_and_lat_lon_geometry(german: dict[str, Any]) -> None:
    assert german["schema"]["primaryKey"] == ["Nr"]
    assert german["geometry"] == {"kind": "latlon", "lat": "Breite", "lon": "Länge",
                                  "crs": "EPSG:4326"}


def test_utf8_with_bom_and_comma_english_numbers(tmp_path: Path) -> None:
    text = "id,wert,tag\r\n1,12.345,2024-01-15\r\n2,1.5,2024-02-01T10:00:00Z\r\n"
    raw = _write(tmp_path / "raw" / "en.csv", "\ufeff" + text, "utf-8")
    resource = _describe(tmp_path, raw)["resources"][0]
    assert resource["encoding"] == "utf-8" and "dialect" not in resource
    fields = _fields(resource)
    assert fields["wert"] == {"name": "wert", "type": "number"}  # no decimal comma: English
    assert fields["tag"]["type"] == "string"  # a date and a date-time: no one type fits
    assert resource["schema"]["primaryKey"] == ["id"]


def test_impossible_date_and_out_of_range_coordinates_stay_as_they_are(tmp_path: Path) -> None:
    text = "lfd;datum;lat;lon\n1;31.02.2024;151,3;12,3\n2;01.03.2024;51,3;12,3\n"
    raw = _write(tmp_path / "raw" / "x.csv", text)
    resource = _describe(tmp_path, raw)["resources"][0]
    fields = _fields(resource)
    assert fields["datum"]["type"] == "string"
    assert resource["geometry"] is False  # the loader would take lat/lon for geometry
    assert resource["schema"]["primaryKey"] == ["lfd"]


def test_no_primary_key_when_nothing_is_unique(tmp_path: Path) -> None:
    raw = _write(tmp_path / "raw" / "x.csv", "nr;wert\n1;a\n1;b\n")
    assert "primaryKey" not in _describe(tmp_path, raw)["resources"][0]["schema"]


def test_a_later_bad_value_is_reported_at_its_row_and_field(tmp_path: Path) -> None:
    raw = _write(tmp_path / "raw" / "stadt.csv", "\r\n".join([HEADER, *ROWS]) + "\r\n")
    _describe(tmp_path, raw)
    data = tmp_path / "out" / "data" / "stadt.csv"
    data.write_bytes(data.read_bytes() + "4;x;-;-;-;10117;ja;51,3;12,3;\r\n".encode("cp1252"))
    result = runner.invoke(app, ["validate", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert [(f["row"], f["field"]) for f in findings] == [(5, "Datum")]


def test_generated_defect_reports(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    resource = _describe(tmp_path, generate.german_csv(tmp_path / "raw"))["resources"][0]
    fields = _fields(resource)
    assert resource["encoding"] == "cp1252"
    assert fields["Kosten"]["decimalChar"] == ","
    assert fields["Uhrzeit"]["format"] == "%d.%m.%Y %H:%M"
    assert resource["geometry"]["lat"] == "Breite"


def test_wkt_column_in_degrees_is_geometry_projected_gets_a_note(tmp_path: Path) -> None:
    raw = _write(tmp_path / "raw" / "punkte.csv",
                 'id,wkt\n1,POINT (12.37 51.33)\n2,"LINESTRING (12.3 51.3, 12.4 51.4)"\n')
    resource = _describe(tmp_path, raw)["resources"][0]
    assert resource["geometry"] == {"kind": "wkt", "column": "wkt", "crs": "EPSG:4326"}
    raw = _write(tmp_path / "raw2" / "utm.csv", "id,geom\n1,POINT (319769.24 5688133.56)\n")
    result = init_package([raw], tmp_path / "out2")
    [described] = result.resources
    assert described.descriptor["geometry"] is False
    assert "projected coordinates" in described.notes[0]
