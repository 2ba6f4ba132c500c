"""The dominance rule on a partitioned GeoParquet value table summed on the real
local cluster, one row group a task: cells of typed values (integers sorted as
numbers, a partition key, null cells, ties) come out as one process finds them,
in the same order, with the same samples and figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from publisher.cluster import dominance, passes_for
from publisher.package.loader import load_package
from publisher.report import Report
from publisher.rules.dominance import ValueTable, contributor_sums, dominated_shares, value_frame
from publisher.rules.policy import check_package, load_policy
from tests.cluster.conftest import LocalCluster
from tests.conftest import ROOT
from tests.package import parquet_sets

POLICY = ROOT / "tests" / "cases" / "cluster" / "sets-dominance-policy.yaml"
ROWS = 2_000


def _value_set(root: Path) -> Path:
    """Energy readings per block (1..300, some unknown) and building; a few
    readings dominate their blocks, values repeat (ties)."""
    records = parquet_sets.frame(ROWS)
    rng = np.random.default_rng(11)
    block = rng.integers(1, 301, ROWS).astype(float)
    block[::97] = np.nan
    records["block"] = block
    records["building"] = rng.integers(1, 6, ROWS)
    kwh = rng.integers(1, 20, ROWS).astype(float) * 10
    kwh[::53] = 5_000.0  # one large reading dominates its block
    records["kwh"] = kwh
    folder = parquet_sets._package(root, "data/reports")
    parquet_sets.write_partitions(folder / "data" / "reports", records, 120)
    return folder


def _check(folder: Path, cluster: str | None) -> Report:
    return check_package(load_policy(str(POLICY)), load_package(str(folder)),
                         passes=passes_for(cluster))


def test_dominance_on_a_set_sums_on_the_workers_as_one_process(
        local_cluster: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _value_set(tmp_path / "set")
    single = _check(folder, None)
    calls: list[bool] = []
    on_workers = dominance.dominated_on

    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = on_workers(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(dominance, "dominated_on", recorded)
    spread = _check(folder, local_cluster.address)
    assert calls == [True, True]  # by record, by contributor: on the workers
    by_rule = single.stats["findings_per_rule"]
    assert by_rule["dominance-records"] == 16 and by_rule["dominance-contributors"] == 16
    assert spread.findings == single.findings  # messages, masked samples, order
    assert spread.stats == single.stats


@pytest.mark.parametrize(("spec", "least"), [
    (ValueTable(resource="reports", by=["block"], value="kwh"), 100),
    (ValueTable(resource="reports", by=["year", "block"], value="kwh", contributor="building"),
     300),
    # the rare reporters' cells; unknown blocks are one contributor
    (ValueTable(resource="reports", by=["reporter_name"], value="kwh", contributor="block"), 4),
], ids=["by record", "by contributor", "null contributors"])
def test_every_dominated_cell_of_a_set_in_the_order_of_one_process(
        local_cluster: LocalCluster, tmp_path: Path, spec: ValueTable, least: int) -> None:
    folder = _value_set(tmp_path / "set")
    resource = load_package(str(folder)).resources[0]
    frame = value_frame(resource.table(), spec)
    if spec.contributor:
        frame = contributor_sums(frame, spec)
    alone = dominated_shares(frame, spec, 2, 0.6)
    spread = dominance.dominated_on(load_package(str(folder)).resources[0], spec, 2, 0.6,
                                    local_cluster.address)
    assert spread is not None
    assert len(alone) >= least
    assert spread.index.equals(alone.index)  # the cells, typed (nulls too), in order
    assert np.allclose(spread.to_numpy(), alone.to_numpy(), rtol=0, atol=1e-12)
