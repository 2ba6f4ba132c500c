"""The same comparisons with the file split into many tiny byte ranges.

Real files are split every 8 MB and the pieces parsed and checked in
parallel; a 24-byte split puts a boundary after nearly every record, so row
numbers, ragged rows, keys and the error order must survive the merge.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from differential import Table, explain, run_case
from generate import make_table
from test_differential_edges import EDGES

from publisher.validate.engine import stream


@pytest.fixture(autouse=True)
def _tiny_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK_SIZE", 24)


@pytest.mark.parametrize("case", sorted(EDGES))
def test_edge_case_agrees_when_split(case: str, tmp_path: Path) -> None:
    outcome = run_case(tmp_path, [EDGES[case]])
    assert outcome.agree, explain(outcome)


@pytest.mark.parametrize("seed", range(0, 200, 5))
def test_generated_file_agrees_when_split(seed: int, tmp_path: Path) -> None:
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


def test_quoted_file_is_not_split(tmp_path: Path) -> None:
    rows = b"".join(b'%d,"a\nb"\n' % i for i in range(1, 50))
    table = Table("t", b"id,name\n" + rows + b"x,y\n",
                  {"fields": [{"name": "id", "type": "integer"},
                              {"name": "name", "type": "string"}]})
    outcome = run_case(tmp_path, [table])
    assert outcome.engine == {"t": "arrow"}
    assert outcome.agree, explain(outcome)
    assert ("t", 51, "id", "type-error") in outcome.ours
