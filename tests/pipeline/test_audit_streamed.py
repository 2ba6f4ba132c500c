"""The audit's residual risk over records not in memory: the quasi-identifier
columns and the positions read batch by batch, the same figures as over the
whole table, and no table read."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.package import batches, geobatches
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


def test_lat_lon_positions_are_read_as_numbers_without_shapes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing and unreadable coordinates make no point, as in the whole table."""
    rows = ["id,kind,lat,lon", "1,a,51.3,12.37", "2,a,51.3,12.37", "3,b,,12.4",
            "4,b,51.1,x", "5,b,51.3,12.37", "6,a,-0.0,0.0", "7,a,0.0,0.0", "8,a,51.2,12.3"]
    (tmp_path / "r.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (tmp_path / "datapackage.json").write_text(
        '{"name": "p", "resources": [{"name": "r", "path": "r.csv", "format": "csv", '
        '"geometry": {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"}, '
        '"schema": {"fields": [{"name": "id", "type": "string"}, {"name": "kind", '
        '"type": "string"}, {"name": "lat", "type": "number"}, {"name": "lon", '
        '"type": "number"}]}}]}', "utf-8")
    whole = load_package(str(tmp_path)).resources[0]
    whole.table()
    expected = residual_risk(whole, whole, ["kind"])
    monkeypatch.setattr(batches, "BATCH_ROWS", 3)

    def no_shapes(*args: object) -> None:
        raise AssertionError("shapes were built")

    monkeypatch.setattr(geobatches, "latlon_geometry", no_shapes)
    streamed = load_package(str(tmp_path)).resources[0]
    assert residual_risk(streamed, streamed, ["kind"]) == expected
    assert expected["before"]["smallest_class"] == 1
