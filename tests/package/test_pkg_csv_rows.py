"""The row rules of the one CSV reading module (publisher.package.csvio.rows):
a ragged record is cut or padded to the header by every reader (whole table,
Arrow batches, some columns), numbered as frictionless numbers it, and listed
by ragged_rows; a regular file keeps the fast readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from publisher.package.batches import iter_batches, read_columns
from publisher.package.csvio import CsvOptions, csv_options, ragged_rows, rows
from publisher.package.loader import load_package
from tests.conftest import CASES

RAGGED = CASES / "package" / "ragged_rows"
RAGGED_END = CASES / "package" / "ragged_end"


def _rows(table: pd.DataFrame) -> dict[int, list[str]]:
    return {int(row): [str(v) for v in values] for row, values in
            zip(table.index, table.to_numpy().tolist(), strict=True)}


def test_ragged_records_are_cut_or_padded_to_the_header() -> None:
    table = load_package(RAGGED).resources[0].table()
    assert list(table.columns) == ["id", "name", "note", "district"]
    assert _rows(table) == {
        2: ["1", "Spielplatz Lindenpark", "zwei\nZeilen", "Mitte"],
        3: ["2", "Spielplatz Am Mühlgraben", "ok", "Nord"],  # "extra", "mehr" cut
        4: ["3", "Wasserspielplatz Uferdamm", "noch\neine", ""],
        5: ["4", "Bolzplatz Ost", "ok", "Süd"],
        6: ["5", "Spielplatz Heide", "", ""],
    }


def test_a_longer_last_row_without_a_line_break_is_cut() -> None:
    table = load_package(RAGGED_END).resources[0].table()
    assert _rows(table)[4] == ["3", "Bolzplatz Ost", "ok", "Süd"]
    assert table.index.tolist() == [2, 3, 4]


@pytest.mark.parametrize(("case", "expected"), [
    (RAGGED, [(3, 6, 4), (4, 3, 4), (6, 2, 4)]),
    (RAGGED_END, [(4, 5, 4)]),
])
def test_ragged_rows_are_numbered_as_frictionless_numbers_them(
        case: Path, expected: list[tuple[int, int, int]]) -> None:
    resource = load_package(case).resources[0]
    assert resource.path is not None
    found = ragged_rows(resource.path, csv_options(resource.descriptor, resource.name))
    assert [(r.row, r.cells, r.width) for r in found] == expected


def test_a_regular_file_has_no_ragged_rows_even_with_blank_lines(make_package: Any) -> None:
    root = make_package([{"name": "m", "path": "m.csv"}],
                        {"m.csv": 'id,text\n1,"a\nb"\n\n2,\n3,"x,y"\n'})
    resource = load_package(root).resources[0]
    assert resource.path is not None
    assert ragged_rows(resource.path, csv_options(resource.descriptor, "m")) == []


@pytest.mark.parametrize("case", [RAGGED, RAGGED_END])
def test_batches_and_columns_read_the_rows_the_whole_table_gives(case: Path) -> None:
    whole = load_package(case).resources[0].table()
    streamed = load_package(case).resources[0]
    got: dict[int, list[str]] = {}
    for batch in iter_batches(streamed, batch_rows=2):
        columns = [batch.columns[name].to_pylist() for name in whole.columns]
        for i, row in enumerate(batch.rows.tolist()):
            got[row] = [column[i] for column in columns]
    assert got == _rows(whole)
    some = read_columns(load_package(case).resources[0], ("name", "district"))
    assert _rows(some) == {row: [values[1], values[3]] for row, values in _rows(whole).items()}
    assert streamed.path is not None  # the stream stopped: the file is not noted as regular
    assert ragged_rows(streamed.path, csv_options(streamed.descriptor, "s"))


def test_a_whole_arrow_read_tells_that_a_file_has_no_ragged_rows(
        make_package: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_package([{"name": "m", "path": "m.csv"}], {"m.csv": 'id,text\n1,"a\nb"\n2,c\n'})
    resource = load_package(root).resources[0]
    assert resource.path is not None
    assert len(list(iter_batches(resource))) == 1

    def scan(*args: Any) -> None:
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(rows, "_scan", scan)
    assert ragged_rows(resource.path, csv_options(resource.descriptor, "m")) == []


def test_a_regular_file_streams_through_arrow(make_package: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_package([{"name": "m", "path": "m.csv"}], {"m.csv": 'id,text\n1,"a\nb"\n2,c\n'})
    resource = load_package(root).resources[0]

    def whole_table() -> pd.DataFrame:
        raise AssertionError("a regular file must not fall back to the whole table")

    monkeypatch.setattr(resource, "table", whole_table)
    rows = [(b.rows.tolist(), b.columns["text"].to_pylist()) for b in iter_batches(resource)]
    assert rows == [([2, 3], ["a\nb", "c"])]


def test_a_file_that_is_no_text_has_no_ragged_rows_to_report(tmp_path: Path) -> None:
    # e.g. a sheet staged as CSV: the loader names what is wrong, never the row scan
    path = tmp_path / "m.csv"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00 binary")
    assert ragged_rows(path, CsvOptions()) == []
