"""The audit's residual risk over records not in memory: the quasi-identifier
columns and the positions read batch by batch, the same figures as over the
whole table, and no table read."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.package import batches
from publisher.package.loader import load_package
from publisher.pipeline.audit import residual_risk
from tests.conftest import ROOT

SAMPLE = ROOT / "pipelines" / "samples" / "defect-reports"


@pytest.mark.parametrize("declared", [["category", "status"], ["category", "reported_at"], []])
def test_streamed_risk_is_the_whole_table_risk(declared: list[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    whole = load_package(SAMPLE).resources[0]
    whole.table()
    expected = residual_risk(whole, whole, declared, 0.05)
    assert expected["before"]["records"] == 600

    monkeypatch.setattr(batches, "BATCH_ROWS", 64)
    streamed = load_package(SAMPLE).resources[0]
    assert residual_risk(streamed, streamed, declared, 0.05) == expected
    assert streamed.data is None and not streamed.views


def test_a_plain_table_counts_its_records(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t.csv").write_text("a,b\n1,x\n2,y\n3,x\n", "utf-8")
    (tmp_path / "datapackage.json").write_text(
        '{"name": "p", "resources": [{"name": "t", "path": "t.csv", "format": "csv"}]}',
        "utf-8")
    monkeypatch.setattr(batches, "BATCH_ROWS", 2)
    resource = load_package(str(tmp_path)).resources[0]
    assert residual_risk(resource, resource, ["zzz"])["after"] == \
        {"kind": "records", "records": 3, "quasi_identifiers": []}
    assert residual_risk(resource, resource, ["b"])["after"]["unique_share"] == \
        pytest.approx(0.333)
    assert resource.data is None
