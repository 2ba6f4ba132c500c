"""Edge cases the issue lists: engine and frictionless must agree exactly."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from differential import Table, explain, run_case

from publisher.validate.engine import native


def _schema(*fields: tuple[str, str], **extra: Any) -> dict[str, Any]:
    return {"fields": [{"name": n, "type": t} for n, t in fields], **extra}


BASIC = _schema(("id", "integer"), ("name", "string"), ("value", "number"), ("day", "date"))

EDGES: dict[str, Table] = {
    "clean": Table("t", b"id,name,value,day\n1,a,1.5,2024-01-01\n2,b,2,2024-12-31\n", BASIC),
    "empty-strings": Table("t", b"id,name,value,day\n1,,,\n,,,2024-01-01\n", BASIC),
    "blank-rows": Table("t", b"id,name,value,day\n1,a,1,2024-01-01\n\n2,b,x,2024-01-02\n\n\n"
                        b"3,c,3,2024-13-01\n", BASIC),
    "blank-row-custom-missing": Table(
        "t", b"id,name,value,day\n1,a,1,2024-01-01\n\n,,,\n2,b,2,2024-01-02\n",
        {**BASIC, "missingValues": ["", "NA"]}),
    "ragged": Table("t", b"id,name,value,day\n1,a,1,2024-01-01\n2,b\n3,c,3,2024-01-03,extra,more"
                    b"\n4,d,zz\n5,e,5,2024-01-05\n", BASIC),
    "ragged-required": Table("t", b"id,name\n1\n2,b\n,\n",
                             {"fields": [{"name": "id", "type": "integer"},
                                         {"name": "name", "type": "string",
                                          "constraints": {"required": True}}]}),
    "bom": Table("t", "\ufeffid,name,value,day\n1,ä,1,2024-01-01\n2,b,x,2024-01-02\n"
                 .encode("utf-8"), BASIC),
    "quoted-newlines": Table("t", b'id,name,value,day\n1,"a\nb",1,2024-01-01\n2,"x, y",z,'
                             b'2024-01-02\n3,"q ""uoted""",3,2024-02-30\n', BASIC),
    "latin1": Table("t", "id,name,value,day\n1,Müller,1,2024-01-01\n2,Größe,x,2024-01-02\n"
                    .encode("latin-1"), BASIC, encoding="latin-1"),
    "semicolon": Table("t", b"id;name;value;day\n1;a;1.5;2024-01-01\n2;b;x;2024-01-02\n",
                       BASIC, dialect={"delimiter": ";"}),
    "semicolon-sniffed": Table("t", b"id;name;value;day\n1;a;1.5;2024-01-01\n2;b;2;x\n", BASIC),
    "swapped-header": Table("t", b"name,id,value,day\na,1,1,2024-01-01\nb,2,2,2024-01-02\n",
                            BASIC),
    "extra-label": Table("t", b"id,name,value,day,more\n1,a,1,2024-01-01,x\n", BASIC),
    "missing-label": Table("t", b"id,name,value\n1,a,1\n2,b,x\n", BASIC),
    "custom-missing": Table("t", b"id,name,value,day\nNA,-,n/a,NA\n1,,2,2024-01-01\n",
                            {**BASIC, "missingValues": ["NA", "-", "n/a"]}),
    "field-missing": Table("t", b"id,name,value,day\n1,NA,,\n", _schema(
        ("id", "integer"), ("name", "string"), ("value", "number"), ("day", "date"))
        | {"fields": [{"name": "id", "type": "integer"},
                      {"name": "name", "type": "string", "missingValues": ["NA"],
                       "constraints": {"required": True}},
                      {"name": "value", "type": "number"}, {"name": "day", "type": "date"}]}),
    "datetimes": Table("t", b"ts\n2024-01-01T10:00:00\n2024-01-01 10:00:00\n2024-01-01X10:00:00"
                       b"\n2024-01-01T10:00:00Z\n2024-01-01T10:00:00+02:00\n2024-01-01T10:00:00.5"
                       b"\n2024-01-01T10:00\n2024-01-01\n2023-02-29T00:00:00\n24-01-01T10:00:00\n"
                       b"2024-01-01T25:00:00\n", _schema(("ts", "datetime"))),
    "dates": Table("t", b"d\n2024-02-29\n2023-02-29\n2024-1-5\n2024-01-32\n0000-01-01\n 2024-01-01"
                   b"\n20240101\n2024-04-31\n", _schema(("d", "date"))),
    "date-format": Table("t", b"d\n05.03.2024\n5.3.2024\n29.02.2023\n31.12.1999\n2024-01-01\n",
                         {"fields": [{"name": "d", "type": "date", "format": "%d.%m.%Y"}]}),
    "times": Table("t", b"t\n10:00:00\n10:00\n24:00:00\n10:00:00.5\n10:00:00Z\n9:00:00\n23:59:60\n",
                   _schema(("t", "time"))),
    "numbers": Table("t", b"n\n1\n-1.5\n+2\n 3 \n1e3\n.5\n5.\nNaN\ninf\n1_000\n1,5\n0x10\n\n",
                     _schema(("n", "number"))),
    "integers": Table("t", b"n\n1\n-1\n+2\n 3\n1.0\n1e3\n007\n99999999999999999999\n1_000\n",
                      _schema(("n", "integer"))),
    "decimal-group": Table("t", b"n\n1.234,5\n1234,5\n1.234.567\n12,5.3\n-0,5\n",
                           {"fields": [{"name": "n", "type": "number", "decimalChar": ",",
                                        "groupChar": "."}]}, dialect={"delimiter": ";"}),
    "booleans": Table("t", b"b\ntrue\nFalse\nTRUE\nyes\n1\n0\nja\n", {"fields": [
        {"name": "b", "type": "boolean"}]}),
    "booleans-custom": Table("t", b"b\nja\nnein\ntrue\n", {"fields": [
        {"name": "b", "type": "boolean", "trueValues": ["ja"], "falseValues": ["nein"]}]}),
    "constraints": Table("t", b"n,s,e\n5,abc,x\n-1,a,y\n11,abcdefghijk,z\n10,ABC,x\n0,ab1,w\n",
                         {"fields": [
                             {"name": "n", "type": "integer",
                              "constraints": {"minimum": 0, "maximum": 10}},
                             {"name": "s", "type": "string",
                              "constraints": {"minLength": 2, "maxLength": 5,
                                              "pattern": "[a-z]+"}},
                             {"name": "e", "type": "string",
                              "constraints": {"enum": ["x", "y", "z"]}}]}),
    "decimal-bounds": Table("t", b"n\n0.3\n0.30000000000000001\n0.29999999999999999\n1e-400\n",
                            {"fields": [{"name": "n", "type": "number",
                                         "constraints": {"maximum": 0.3, "minimum": 0}}]}),
    "unique-pk": Table("t", b"id,code\n1,a\n2,b\n01,c\n3,a\n,\n4,\n", {
        "fields": [{"name": "id", "type": "integer"},
                   {"name": "code", "type": "string", "constraints": {"unique": True}}],
        "primaryKey": ["id"]}),
    "composite-pk": Table("t", b"a,b\n1,x\n1,y\n1,x\n,\n2,\n2,\n", {
        "fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}],
        "primaryKey": ["a", "b"]}),
    "unique-numbers": Table("t", b"n\n1\n1.0\n1.00\n2\n-0\n0\n", {
        "fields": [{"name": "n", "type": "number", "constraints": {"unique": True}}]}),
    "enum-typed": Table("t", b"n,d\n1,2024-01-01\n2,2024-01-02\n3,2024-01-01\n", {
        "fields": [{"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}},
                   {"name": "d", "type": "date", "constraints": {"enum": ["2024-01-01"]}}]}),
    "geopoint-year": Table("t", b"p,y\n\"13.4, 52.5\",2024\n\"200, 52\",24\n\"x\",0999\n", {
        "fields": [{"name": "p", "type": "geopoint"}, {"name": "y", "type": "year"}]}),
    "date-bounds": Table("t", b"d\n2024-01-01\n2023-12-31\n2025-01-01\n", {
        "fields": [{"name": "d", "type": "date",
                    "constraints": {"minimum": "2024-01-01", "maximum": "2024-12-31"}}]}),
    "trailing-no-newline": Table("t", b"id,name,value,day\n1,a,1,2024-01-01\n2,b,x,2024-01-02",
                                 BASIC),
    "geopoints": Table("t", b'id,punkt\n1,"13.4,52.5"\n2,"13.4, 52.5"\n3,"180,0"\n4,"1,2,3"\n'
                       b'5,x\n6,"200,10"\n7,\n8,"6.95 , 50.94"\n',
                       {"fields": [{"name": "id", "type": "integer"},
                                   {"name": "punkt", "type": "geopoint",
                                    "constraints": {"required": True}}]}),
    "crlf": Table("t", b"id,name,value,day\r\n1,a,1,2024-01-01\r\n\r\n2,b,x,2024-01-02\r\n",
                  BASIC),
    # The defect-report shapes (benchmarks/pipeline_run.py): times in UTC, e-mail, and
    # the position as lat/lon in range or as WKT, each with bad values.
    "reports-latlon": Table("t", "reported_at,email,lat,lon\n"
                            "2024-12-05T13:29:28Z,marie.koehler@example.org,51.339023,12.335192\n"
                            "2024-12-05 13:29:28Z,a..b@c.de,55.100001,5.8\n"
                            "2023-02-29T00:00:00Z,x@y,46.3,17.2000001\n"
                            "2024-12-05T13:29:28z,Marie@Köhler.de,91,-181\n"
                            "2024-12-05T13:29,a@b.de ,n/a,12.3\n"
                            ",,,\n"
                            "2024-12-05T13:29:28+01:00,a@b.d,1e1,12.3351923456789\n"
                            "2024-12-05T24:00:00Z,äb@c.de, 51.3 ,0x10\n".encode(), {"fields": [
                                {"name": "reported_at", "type": "datetime",
                                 "constraints": {"required": True}},
                                {"name": "email", "type": "string", "format": "email"},
                                {"name": "lat", "type": "number", "constraints": {
                                    "required": True, "minimum": 46.3, "maximum": 55.1}},
                                {"name": "lon", "type": "number", "constraints": {
                                    "required": True, "minimum": 5.8, "maximum": 17.2}}]}),
    "reports-wkt": Table("t", b'id,wkt\n1,POINT (12.335192 51.339023)\n2,"POINT (1 2"\n3,\n'
                         b'4,POINT EMPTY\n5,not wkt at all\n6,"POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"'
                         b'\n7,POINT (200 100)\n', {"fields": [
                             {"name": "id", "type": "integer"},
                             {"name": "wkt", "type": "string", "constraints": {
                                 "required": True, "maxLength": 30}}]}),
}


@pytest.mark.parametrize("route", ["compiled", "arrow"])
@pytest.mark.parametrize("case", sorted(EDGES))
def test_edge_case_agrees_with_frictionless(case: str, route: str, tmp_path: Path) -> None:
    """On both routes for fast cells: the compiled kernels, and Arrow alone."""
    with native.disabled() if route == "arrow" else contextlib.nullcontext():
        outcome = run_case(tmp_path, [EDGES[case]])
    assert outcome.agree, f"{case}\n{explain(outcome)}"
    assert outcome.engine == {"t": "arrow"}, outcome.notes


def test_foreign_keys_across_resources(tmp_path: Path) -> None:
    parent = Table("ref", b"id,kind\n1,a\n2,b\n3,a\n", {
        "fields": [{"name": "id", "type": "integer"}, {"name": "kind", "type": "string"}]})
    child = Table("child", b"ref,kind,self\n1,a,\n2,a,1\n9,a,1\n,,7\n3,a,\n", {
        "fields": [{"name": "ref", "type": "integer"}, {"name": "kind", "type": "string"},
                   {"name": "self", "type": "integer"}],
        "foreignKeys": [
            {"fields": ["ref", "kind"], "reference": {"resource": "ref", "fields": ["id", "kind"]}},
            {"fields": ["self"], "reference": {"resource": "", "fields": ["ref"]}}]})
    outcome = run_case(tmp_path, [parent, child])
    assert outcome.agree, explain(outcome)
    assert outcome.engine == {"ref": "arrow", "child": "arrow"}
    assert any(key[3] == "foreign-key" for key in outcome.ours)


def test_blank_line_without_empty_missing_value_falls_back(tmp_path: Path) -> None:
    table = Table("t", b"id,name\n1,a\n\n2,b\n", {
        "fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}],
        "missingValues": ["NA"]})
    outcome = run_case(tmp_path, [table])
    assert outcome.agree, explain(outcome)
    assert outcome.engine == {}
    assert any("validated by frictionless" in n and "empty cells" in n for n in outcome.notes)


def test_number_key_beyond_float_range_falls_back(tmp_path: Path) -> None:
    table = Table("t", b"n\ninf\n1e400\n1\n", {
        "fields": [{"name": "n", "type": "number", "constraints": {"unique": True}}]})
    outcome = run_case(tmp_path, [table])
    assert outcome.agree, explain(outcome)
    assert outcome.engine == {}
    assert any("beyond the range of a float" in n for n in outcome.notes)


def test_invalid_utf8_past_the_sample_falls_back(tmp_path: Path) -> None:
    rows = b"".join(b"%d,a,1,2024-01-01\n" % i for i in range(1, 3000))
    table = Table("t", b"id,name,value,day\n" + rows + b"3000,M\xfcller,2,2024-01-02\n",
                  BASIC, encoding="utf-8")
    outcome = run_case(tmp_path, [table])
    assert outcome.agree, explain(outcome)
    assert outcome.engine == {}
    assert any("does not parse cleanly" in n for n in outcome.notes), outcome.notes
