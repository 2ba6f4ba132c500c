"""grid-aggregate counted on the workers: the same published cells and figures as
the single-process streamed count, with `by` groups, merge-up and suppression,
on lat/lon and WKT geometry cut into about ten ranges; a range that cannot be
counted leaves the resource to the client, whose message names the row."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from publisher.cluster import grid, passes_for, scan
from publisher.errors import InputError
from publisher.package.loader import load_package
from publisher.package.model import Resource
from publisher.steps import grid_aggregate
from publisher.steps.base import StepContext
from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams
from tests.cluster.conftest import LocalCluster

PARAMS = GridAggregateParams(resource="reports", by=["category"], min_count=4,
                             merge_up=[1000])


def _no_reading(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the client read the records")


def _grid(package: Path, cluster: str | None) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    loaded = load_package(str(package))
    assert loaded.resource("reports").data is None  # streamed, not read whole
    outcome = GridAggregate(PARAMS).run(loaded, StepContext(passes=passes_for(cluster)))
    table = loaded.resource("reports").data  # the published cells
    assert isinstance(table, gpd.GeoDataFrame)
    return table, outcome.stats


def _counted_on_workers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    calls: list[bool] = []
    counts = grid.grid_counts

    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = counts(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(grid, "grid_counts", recorded)
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)  # about 10 ranges
    return calls


@pytest.mark.parametrize("shape", ["latlon", "wkt"])
def test_grid_counts_on_the_workers_are_the_single_process_ones(
        shape: str, reports: Path, local_cluster: LocalCluster,
        monkeypatch: pytest.MonkeyPatch) -> None:
    single, single_stats = _grid(reports / shape, None)
    calls = _counted_on_workers(monkeypatch)
    with monkeypatch.context() as client:  # the client reads no record of the file
        client.setattr(grid_aggregate, "iter_batches", _no_reading)
        client.setattr(Resource, "table", _no_reading)
        on_cluster, cluster_stats = _grid(reports / shape, local_cluster.address)
    assert calls == [True]
    assert cluster_stats == single_stats
    assert single_stats["points_merged"] > 0 and single_stats["points_suppressed"] > 0
    assert single_stats["cells_by_resolution"][1000] > 0
    pd.testing.assert_frame_equal(pd.DataFrame(on_cluster.drop(columns="geometry")),
                                  pd.DataFrame(single.drop(columns="geometry")))
    assert on_cluster.geometry.to_wkt().tolist() == single.geometry.to_wkt().tolist()


def test_a_range_that_cannot_be_counted_is_left_to_the_client(
        tmp_path: Path, reports: Path, local_cluster: LocalCluster,
        monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "wkt"
    shutil.copytree(reports / "wkt", package)
    csv = package / "reports.csv"
    lines = csv.read_bytes().split(b"\n")
    row = 45_000  # in a late range; the header is row 1
    lines[row - 1] = re.sub(rb"POINT \(([^)]*)\)", rb'"LINESTRING (1 1, \1)"', lines[row - 1])
    assert b"LINESTRING" in lines[row - 1]
    csv.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as single:
        _grid(package, None)
    calls = _counted_on_workers(monkeypatch)
    with pytest.raises(InputError) as on_cluster:
        _grid(package, local_cluster.address)
    assert calls == [False]
    assert str(on_cluster.value) == str(single.value)
    assert f"row {row} " in str(single.value)
