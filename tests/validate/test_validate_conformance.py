"""Where the publisher once parted from frictionless on valid input: a declared
`tabular-data-resource` profile, declared `bytes` and `hash`, and foreign keys
into a resource without a schema. Each package is loaded and validated as the
CLI does, and frictionless.validate judges the same descriptor."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import frictionless
import pytest

from publisher.package.loader import load_package
from publisher.report import Report
from publisher.validate import validate_package

CSV = b"id,name\n1,a\n2,b\n3,c\n"
SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
Key = tuple[str | None, int | None, str | None, str]


def _package(root: Path, resources: list[dict[str, Any]], files: dict[str, bytes],
             **package: Any) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (root / name).write_bytes(data)
    descriptor = {"name": "case", "resources": resources, **package}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def _both(root: Path) -> tuple[Report, set[Key], bool, set[Key]]:
    report = validate_package(load_package(root))
    ours = {(f.resource, f.row, f.field, f.type) for f in report.findings}
    reference = frictionless.validate(str(root / "datapackage.json"), limit_errors=10_000)
    theirs = {(t.name, getattr(e, "row_number", None), getattr(e, "field_name", None) or None,
               str(e.type)) for t in reference.tasks for e in t.errors}
    theirs |= {(None, None, None, str(e.type)) for e in reference.errors}
    return report, ours, bool(reference.valid), theirs


def test_tabular_profile_with_a_schema_is_valid(tmp_path: Path) -> None:
    root = _package(tmp_path, [{"name": "t", "path": "t.csv", "profile": "tabular-data-resource",
                                "schema": SCHEMA}], {"t.csv": CSV},
                    profile="tabular-data-package")
    report, ours, valid, theirs = _both(root)
    assert report.valid and valid, ours
    assert ours == theirs == set()


def test_tabular_profile_without_a_schema_is_still_an_error(tmp_path: Path) -> None:
    root = _package(tmp_path, [{"name": "t", "path": "t.csv",
                                "profile": "tabular-data-resource"}], {"t.csv": CSV})
    report, ours, valid, theirs = _both(root)
    assert not report.valid and not valid
    assert (None, None, None, "resource-error") in ours
    assert ours == theirs


def _digest(algorithm: str, data: bytes) -> str:
    return hashlib.new(algorithm, data).hexdigest()


@pytest.mark.parametrize(("declared", "expected"), [
    ({"bytes": len(CSV)}, set()),
    ({"bytes": 839_871}, {"byte-count"}),
    ({"hash": _digest("md5", CSV)}, set()),
    ({"hash": "md5:" + _digest("md5", CSV)}, set()),
    ({"hash": "sha256:" + _digest("sha256", CSV)}, set()),
    ({"hash": _digest("md5", b"other")}, {"hash-count"}),
    ({"hash": "sha256:" + _digest("sha256", b"other")}, {"hash-count"}),
    ({"hash": "md5:" + _digest("md5", CSV).upper()}, {"hash-count"}),  # as frictionless
    ({"bytes": 1, "hash": "0ccce65d178741d70f06ac298f1f7d2d"}, {"byte-count", "hash-count"}),
])
def test_declared_bytes_and_hash_are_checked(tmp_path: Path, declared: dict[str, Any],
                                             expected: set[str]) -> None:
    root = _package(tmp_path, [{"name": "t", "path": "t.csv", "schema": SCHEMA, **declared}],
                    {"t.csv": CSV})
    report, ours, valid, theirs = _both(root)
    assert {f.type for f in report.findings} == expected
    assert ours == theirs and report.valid == valid == (not expected)
    assert report.stats["resources"]["t"]["engine"] == "arrow"  # no detour through frictionless
    for finding in report.findings:
        assert finding.resource == "t" and finding.row is None
        assert "declares" in finding.message and finding.hint


def test_hash_of_another_algorithm_is_noted_not_checked(tmp_path: Path) -> None:
    root = _package(tmp_path, [{"name": "t", "path": "t.csv", "schema": SCHEMA,
                                "hash": "sha1:" + _digest("sha1", b"other")}], {"t.csv": CSV})
    report, ours, valid, theirs = _both(root)
    assert report.valid and valid and ours == theirs == set()
    assert any("hash algorithm 'sha1' is not checked" in n for n in report.notes)


PARENT = b"id,label\n1,eins\n2,zwei\n10,zehn\n"
CHILD = b"ref,note\n1,a\n2,b\n10,c\n3,d\n"
CHILD_SCHEMA = {"fields": [{"name": "ref", "type": "integer"}, {"name": "note", "type": "string"}],
                "foreignKeys": [{"fields": ["ref"],
                                 "reference": {"resource": "parent", "fields": ["id"]}}]}


def test_foreign_key_into_a_resource_without_schema_compares_inferred_types(
        tmp_path: Path) -> None:
    root = _package(tmp_path, [{"name": "parent", "path": "parent.csv"},
                               {"name": "child", "path": "child.csv", "schema": CHILD_SCHEMA}],
                    {"parent.csv": PARENT, "child.csv": CHILD})
    report, ours, valid, theirs = _both(root)
    assert ours == theirs == {("child", 5, None, "foreign-key")}
    assert not report.valid and not valid


def test_resource_without_schema_is_still_read_as_text(tmp_path: Path) -> None:
    # frictionless infers `id` as integer from its sample (the first 100 rows) and calls
    # the "x" after it a type error; without a schema the publisher checks the structure
    # only (DELIBERATE.md), while the foreign key still compares integers
    parent = b"id,label\n" + b"".join(b"%d,n\n" % i for i in range(1, 151)) + b"x,later\n"
    child = b"ref,note\n1,a\n150,b\n999,c\n"
    root = _package(tmp_path, [{"name": "parent", "path": "parent.csv"},
                               {"name": "child", "path": "child.csv", "schema": CHILD_SCHEMA}],
                    {"parent.csv": parent, "child.csv": child})
    _, ours, _, theirs = _both(root)
    assert ours == {("child", 4, None, "foreign-key")}
    assert theirs == ours | {("parent", 152, "id", "type-error")}


@pytest.mark.parametrize("schema", [SCHEMA, None])
@pytest.mark.parametrize(("declared", "expected"), [
    ({"rows": 3, "fields": 2}, set()),
    ({"rows": 5}, {"row-count"}),
    ({"fields": 3}, {"field-count"}),
    ({"rows": 1, "fields": 1}, {"row-count", "field-count"}),
])
def test_declared_rows_and_fields_are_checked(tmp_path: Path, schema: dict[str, Any] | None,
                                              declared: dict[str, Any],
                                              expected: set[str]) -> None:
    item = {"name": "t", "path": "t.csv", **declared}
    if schema is not None:
        item["schema"] = schema
    root = _package(tmp_path, [item], {"t.csv": CSV})
    report, ours, valid, theirs = _both(root)
    assert {f.type for f in report.findings} == expected
    assert ours == theirs and report.valid == valid == (not expected)
