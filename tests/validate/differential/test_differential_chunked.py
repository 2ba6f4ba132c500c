"""The same comparisons with the file split into many tiny byte ranges.

Real files are split every 8 MB and the pieces parsed and checked in
parallel; a 24-byte split puts a boundary after nearly every record, so row
numbers, ragged rows, keys and the error order must survive the merge.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from differential import Outcome, Table, explain, run_case
from generate import make_table
from test_differential_edges import EDGES

from publisher.validate.engine import native, resource, stream


@pytest.fixture(autouse=True)
def _tiny_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK_SIZE", 24)


@pytest.mark.parametrize("case", sorted(EDGES))
def test_edge_case_agrees_when_split(case: str, tmp_path: Path) -> None:
    outcome = run_case(tmp_path, [EDGES[case]])
    assert outcome.agree, explain(outcome)


@pytest.mark.parametrize("route", ["compiled", "arrow"])
@pytest.mark.parametrize("seed", range(0, 200, 5))
def test_generated_file_agrees_when_split(seed: int, route: str, tmp_path: Path) -> None:
    """On both routes for fast cells: the compiled kernels, and Arrow alone."""
    with native.disabled() if route == "arrow" else contextlib.nullcontext():
        outcome = run_case(tmp_path, [make_table(seed)])
    assert outcome.agree, f"seed {seed}\n{explain(outcome)}"


def test_split_file_is_read_by_the_engine_in_many_pieces(tmp_path: Path) -> None:
    rows = b"".join(b"%d,n%d\n" % (i, i % 7) for i in range(1, 400))
    table = Table("t", b"id,name\n" + rows + b"5,dup\n,\n3,x,extra\n",
                  {"fields": [{"name": "id", "type": "integer"},
                              {"name": "name", "type": "string"}], "primaryKey": ["id"]})
    probe = tmp_path / "probe.csv"
    probe.write_bytes(table.data)
    plan = SimpleNamespace(encoding="utf-8", path=str(probe), quote_char='"')
    assert len(stream._ranges(plan) or []) > 20
    outcome = run_case(tmp_path, [table])
    assert outcome.engine == {"t": "arrow"}
    assert outcome.agree, explain(outcome)
    assert ("t", 401, None, "primary-key") in outcome.ours
    assert ("t", 403, None, "extra-cell") in outcome.ours


def test_plain_ranges_go_to_the_compiled_splitter_and_the_others_to_arrow(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain ranges are split by the extension; a ragged or blank line sends
    its range to Arrow's parser; both kinds of range merge into one verdict."""
    taken: list[bool] = []
    real = native.split

    def spy(*args: Any) -> Any:
        columns = real(*args)
        taken.append(columns is not None)
        return columns

    monkeypatch.setattr(native, "split", spy)
    rows = [b"%d,n%d,2024-01-%02d\r\n" % (i, i % 7, i % 28 + 1) for i in range(1, 300)]
    rows[100] = b"101,ragged\r\n"
    rows[200] = b"\r\n"
    rows[250] = b"7,dup,2023-02-29\r\n"
    table = Table("t", b"id,name,day\r\n" + b"".join(rows),
                  {"fields": [{"name": "id", "type": "integer"},
                              {"name": "name", "type": "string"},
                              {"name": "day", "type": "date"}], "primaryKey": ["id"]})
    outcome = run_case(tmp_path, [table])
    assert outcome.engine == {"t": "arrow"}
    assert outcome.agree, explain(outcome)
    assert {("t", 102, "day", "missing-cell"), ("t", 202, None, "blank-row"),
            ("t", 252, "day", "type-error"), ("t", 252, None, "primary-key")} <= outcome.ours
    assert taken.count(False) == 2 and taken.count(True) > 20


def test_quoted_file_is_not_split(tmp_path: Path) -> None:
    rows = b"".join(b'%d,"a\nb"\n' % i for i in range(1, 50))
    table = Table("t", b"id,name\n" + rows + b"x,y\n",
                  {"fields": [{"name": "id", "type": "integer"},
                              {"name": "name", "type": "string"}]})
    outcome = run_case(tmp_path, [table])
    assert outcome.engine == {"t": "arrow"}
    assert outcome.agree, explain(outcome)
    assert ("t", 51, "id", "type-error") in outcome.ours


def test_quoted_cells_without_line_breaks_are_split(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def one_stream(*args: object) -> None:
        raise AssertionError("read as one stream although no quoted cell holds a line break")

    monkeypatch.setattr(stream, "batches", one_stream)
    rows = b"".join(b'%d,"M\xc3\xbcller, ""Hans"" %d",x%d\n' % (i, i, i) for i in range(1, 300))
    table = Table("t", b'id,name,"code"\n' + rows + b'300,"a,b"\n2,"dup",\n',
                  {"fields": [{"name": "id", "type": "integer"},
                              {"name": "name", "type": "string"},
                              {"name": "code", "type": "string",
                               "constraints": {"required": True}}],
                   "primaryKey": ["id"]})
    outcome = run_case(tmp_path, [table])
    assert outcome.engine == {"t": "arrow"}
    assert outcome.agree, explain(outcome)
    assert outcome.ours == {("t", 301, "code", "constraint-error"),
                            ("t", 301, "code", "missing-cell"),
                            ("t", 302, "code", "constraint-error"),
                            ("t", 302, None, "primary-key")}


@pytest.mark.parametrize("inside", [b"\r", b"\n", b"\r\n"])
def test_a_line_break_inside_quotes_falls_back_to_one_stream(tmp_path: Path,
                                                            inside: bytes) -> None:
    rows = b"".join(b'%d,"plain %d"\n' % (i, i) for i in range(1, 60))
    table = Table("t", b"id,name\n" + rows + b'60,"two' + inside + b'lines"\n61,x\nbad,y\n',
                  {"fields": [{"name": "id", "type": "integer"},
                              {"name": "name", "type": "string"}]})
    outcome = run_case(tmp_path, [table])
    assert outcome.agree, explain(outcome)
    assert ("t", 63, "id", "type-error") in outcome.ours


def test_a_stream_failing_before_the_checks_are_built_does_not_hang(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers wait for the checks the main thread builds once the first
    pieces are under way; a read failing before that must not leave them
    waiting (and the pass with them)."""
    monkeypatch.setattr(stream, "BLOCK_SIZE", 1024)
    monkeypatch.setattr(resource, "WORKERS", 64)  # the checks are built after 64 pieces
    monkeypatch.setattr(stream, "_ranges", lambda *args: None)  # one stream from the start
    rows = [b'%d,"a\nb"\n' % i for i in range(1, 3000)]
    rows[1500] = b"1501,\xff\xfe\n"  # beyond frictionless's sample, in about piece 16
    table = Table("t", b"id,name\n" + b"".join(rows),
                  {"fields": [{"name": "id", "type": "integer"},
                              {"name": "name", "type": "string"}]}, encoding="utf-8")
    outcomes: list[Outcome] = []
    worker = threading.Thread(target=lambda: outcomes.append(run_case(tmp_path, [table])),
                              daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the engine's pass hangs"
    assert outcomes and outcomes[0].engine == {}
    assert "does not parse cleanly" in " ".join(outcomes[0].notes)


def test_ranges_are_of_one_size_and_as_many_as_a_multiple_of_the_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK_SIZE", 1000)
    header = b"id,name\n"
    body = b"".join(b"%04d,abc\n" % i for i in range(1200))  # 10,800 bytes: 11 chunks
    probe = tmp_path / "probe.csv"
    probe.write_bytes(header + body)
    plan = SimpleNamespace(encoding="utf-8", path=str(probe), quote_char='"')
    for workers, count in ((1, 11), (2, 12), (3, 12), (4, 12)):
        ranges = stream._ranges(plan, workers)
        assert ranges is not None and len(ranges) == count
        assert ranges[0][0] == len(header) and ranges[-1][1] == len(header) + len(body)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        sizes = [stop - start for start, stop in ranges[:-1]]
        assert max(sizes) - min(sizes) <= 9 and max(sizes) <= 1000 + 9
