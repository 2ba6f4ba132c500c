"""One limit on CSV record and cell sizes, checked when the resource is loaded
(publisher.package.csvio.sizes): validate, check and run refuse the same file the
same way, naming the row, the field and the setting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from publisher import limits
from publisher.cli import app
from publisher.limits import LimitError, Limits
from publisher.package.batches import iter_batches
from publisher.package.csvio import sizes as csvsize
from publisher.package.loader import load_package

SMALL = Limits(max_row_bytes=4096, max_cell_bytes=2048, max_columns=50)
runner = CliRunner()


def _package(root: Path, csv: bytes | str, **resource: Any) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    data = csv.encode("utf-8") if isinstance(csv, str) else csv
    (root / "data.csv").write_bytes(data)
    descriptor = {"name": "sizes", "resources": [
        {"name": "table", "path": "data.csv", "format": "csv", **resource}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def _refusal(root: Path) -> str:
    with limits.applied(SMALL), pytest.raises(LimitError) as caught:
        load_package(root)
    assert caught.value.exit_code == 2
    return str(caught.value)


def test_a_record_over_the_limit_is_named_by_its_row(tmp_path: Path) -> None:
    csv = "id,text\n1,a\n2," + "x" * 1500 + "," + "y" * 1500 + "," + "z" * 1500 + "\n3,b\n"
    message = _refusal(_package(tmp_path, csv))
    assert "resource 'table': row 3 of data.csv is 4,505 bytes" in message
    assert "the limit is 4,096 bytes (setting max_row_bytes)" in message
    assert "PUBLISHER_MAX_ROW_BYTES" in message


def test_a_cell_over_the_limit_is_named_by_row_and_field(tmp_path: Path) -> None:
    csv = "id,text\n1,a\n2,\"" + "x" * 3000 + "\"\n"
    message = _refusal(_package(tmp_path, csv))
    assert "row 3 of data.csv, field 'text', holds a value of 3,000 bytes" in message
    assert "(setting max_cell_bytes)" in message


def test_quoted_line_breaks_belong_to_the_record(tmp_path: Path) -> None:
    lines = "\n".join(["line"] * 1000)  # 5 KB in one quoted cell, short lines
    csv = f'id,text\n1,"{lines}"\n2,b\n'
    assert "row 2 of data.csv is" in _refusal(_package(tmp_path, csv))
    # the same lines outside quotes are many small records
    with limits.applied(SMALL):
        load_package(_package(tmp_path / "plain", "id\n" + "\n".join(["1"] * 3000) + "\n"))


def test_row_numbers_with_crlf_lone_cr_and_doubled_quotes(tmp_path: Path) -> None:
    big = "x" * 5000
    crlf = f'id,text\r\n1,"a ""quoted"" b"\r\n2,c\r\n3,{big}\r\n'
    assert "row 4 of data.csv" in _refusal(_package(tmp_path / "crlf", crlf))
    lone = f"id,text\r1,a\r2,{big}\r"
    assert "row 3 of data.csv" in _refusal(_package(tmp_path / "cr", lone))
    no_end = f"id,text\n1,a\n2,{big}"
    assert "row 3 of data.csv" in _refusal(_package(tmp_path / "end", no_end))


def test_a_cr_lf_pair_split_between_chunks_is_one_end(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvsize, "CHUNK", 8)
    text = "id,te\r\n1,abcd\r\n2,efgh\r\n" + "3," + "x" * 5000 + "\r\n"
    assert "row 4 of data.csv" in _refusal(_package(tmp_path, text))


def test_the_header_counts_as_row_1_and_its_columns_are_limited(tmp_path: Path) -> None:
    assert "the header (row 1) of data.csv is" in _refusal(
        _package(tmp_path / "wide", "a" * 5000 + "\n1\n"))
    message = _refusal(_package(tmp_path / "many", ",".join(f"c{i}" for i in range(60)) + "\n"))
    assert "data.csv has 60 columns: the limit is 50 (setting max_columns)" in message


def test_utf16_files_are_measured_too(tmp_path: Path) -> None:
    csv = ("id,text\n1,a\n2," + "x" * 2500 + "\n").encode("utf-16")
    message = _refusal(_package(tmp_path, csv, encoding="utf-16"))
    assert "row 3 of data.csv is 5,00" in message  # two bytes a character


def test_within_the_limits_nothing_changes(tmp_path: Path) -> None:
    csv = 'id,text\n1,"' + "y" * 1900 + '"\n2,b\n'
    with limits.applied(SMALL):
        package = load_package(_package(tmp_path, csv))
        assert len(package.resources[0].table()) == 2


def test_arrow_reads_every_record_the_limits_let_through(tmp_path: Path) -> None:
    """A 6 MB record (under the default limits) passes the policy scan's Arrow
    reader, whose default block (4 MB) would refuse it."""
    cell = "z" * (6 * 1024**2)
    package = load_package(_package(tmp_path, f'id,text\n1,"{cell}"\n2,b\n'))
    rows = sum(len(b) for b in iter_batches(package.resources[0]))
    assert rows == 2


@pytest.mark.parametrize("command", ["validate", "check", "run"])
def test_validate_check_and_run_refuse_the_same_record(tmp_path: Path, command: str) -> None:
    root = _package(tmp_path / "pkg", "id,text\n1,a\n2," + "q" * 5000 + "\n",
                    schema={"fields": [{"name": "id", "type": "integer"},
                                       {"name": "text", "type": "string"}]})
    env = {"PUBLISHER_MAX_ROW_BYTES": "4096", "PUBLISHER_HOME": str(tmp_path / "home")}
    if command == "run":
        pipeline = tmp_path / "pipeline.yaml"
        pipeline.write_text(
            f"name: sizes\nsource: {root}\npolicy: de-open-data\ntarget: {{type: local}}\n"
            "dataset: {name: sizes, title: T, description: D, publisher: P}\n",
            encoding="utf-8")
        args = ["run", str(pipeline), "--json"]
    elif command == "check":
        args = ["check", str(root), "--policy", "de-open-data", "--json"]
    else:
        args = ["validate", str(root), "--json"]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2, result.output
    data = json.loads(result.output)
    message = data["runs"][0]["message"] if "runs" in data else data["message"]
    assert "row 3 of data.csv is 5,003 bytes" in message
    assert "(setting max_row_bytes)" in message
