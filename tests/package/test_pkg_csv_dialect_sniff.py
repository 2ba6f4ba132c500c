"""A CSV file without a declared delimiter is read with the delimiter frictionless
(and so `validate`) guesses, in every stage: a semicolon-separated export must not
be one column to the privacy check."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless as fl
import pytest

from publisher.package.csvio import csv_options, ragged_rows
from publisher.package.loader import load_package
from publisher.rules.policy import check_package, load_policy

CASES = Path(__file__).parent.parent / "cases" / "package"


@pytest.mark.parametrize("case", ["semicolon_undeclared", "tsv_undeclared"])
def test_every_stage_reads_the_columns_frictionless_reads(case: str) -> None:
    package = load_package(CASES / case / "datapackage.json")
    resource = package.resources[0]
    assert resource.path is not None
    reference = fl.Resource(path=resource.path.name, basepath=str(resource.path.parent))
    with reference:
        labels = list(reference.labels)
    assert len(labels) > 1
    assert list(resource.table().columns) == labels


def test_a_forgotten_name_column_in_a_semicolon_file_blocks() -> None:
    package = load_package(CASES / "semicolon_undeclared" / "datapackage.json")
    report = check_package(load_policy("de-open-data"), package)
    blocked = {(f.rule, f.field) for f in report.findings if f.severity == "block"}
    assert ("personal-column-names", "reporter_name") in blocked
    assert any(rule == "email-in-text" and field == "reporter_email" for rule, field in blocked)


def test_a_declared_delimiter_is_kept(tmp_path: Path) -> None:
    source = CASES / "semicolon_undeclared"
    (tmp_path / "meldungen.csv").write_bytes((source / "meldungen.csv").read_bytes())
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["dialect"] = {"delimiter": ","}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    resource = load_package(tmp_path / "datapackage.json").resources[0]
    assert resource.descriptor["dialect"] == {"delimiter": ","}
    table = resource.table()  # the comma in the note makes row 2 ragged: cut to the header
    assert list(table.columns) == ["id;reporter_name;reporter_email;note"]
    assert table.loc[2].iloc[0] == "1;Klaus Wagner;k.wagner@example.org;Baum umgestürzt"
    assert [(r.row, r.cells) for r in ragged_rows(tmp_path / "meldungen.csv",
                                                 csv_options(resource.descriptor, "m"))] \
        == [(2, 2)]
