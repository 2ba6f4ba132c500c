"""k-anonymity and residual uniqueness on the workers as a hash-partitioned
aggregation (publisher.cluster.classes): on sensor readings timed to the second
(nearly one class per record) cut into several ranges, the findings, masked
samples and figures of one process, while the client receives a few small
summaries, never one row per class, and counts nothing itself; a blank line
is a record on the workers as in one process; a ragged record makes the client
count the classes, as in one process."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from publisher.cluster import classes, passes_for, quasi, scan
from publisher.package.loader import load_package
from publisher.report import Report
from publisher.rules import _quasi
from publisher.rules.policy import check_package, load_policy
from tests.cluster.conftest import LocalCluster
from tests.conftest import ROOT

POLICY = ROOT / "tests" / "cases" / "cluster" / "classes-policy.yaml"
ROWS = 50_000
COMMON = 10_000  # the first records: 100 timestamps shared by about 100 records each
PART_BYTES = 256 * 1024  # about 8 ranges; the common records fill more than the first


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ROWS sensor readings: COMMON in large classes, then timestamps to the second
    over three days (most of them unique), a category (some empty) and a value."""
    rng = np.random.default_rng(22)
    start = np.datetime64("2024-03-01T00:00:00")
    common = start + rng.integers(0, 100, COMMON) * np.timedelta64(3600, "s")
    rare = start + rng.integers(0, 3 * 86_400, ROWS - COMMON).astype("timedelta64[s]")
    categories = rng.choice(["Rad", "Kfz", "Fuss", ""], ROWS, p=[0.5, 0.3, 0.15, 0.05])
    lines = ["messstelle,gemessen_um,kategorie,wert"]
    for i, (at, category) in enumerate(zip(np.concatenate([common, rare]), categories,
                                           strict=True)):
        lines.append(f"M{i % 40},{at},{'Rad' if i < COMMON else category},{i % 97}")
    folder = tmp_path_factory.mktemp("readings")
    (folder / "readings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps({
        "name": "zaehlstellen", "resources": [{"name": "readings", "path": "readings.csv",
                                               "format": "csv"}]}), encoding="utf-8")
    assert len("\n".join(lines[:COMMON + 1]).encode()) > PART_BYTES
    return folder


def _check(package: Path, cluster: str | None) -> Report:
    return check_package(load_policy(str(POLICY)), load_package(str(package)),
                         passes=passes_for(cluster))


def _recorded(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    """The results of each call of module.name."""
    calls: list[Any] = []
    function = getattr(module, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        calls.append(result)
        return result

    monkeypatch.setattr(module, name, recorded)
    return calls


def _never(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the client must not count the classes")


def test_nearly_unique_classes_summarised_on_the_workers_as_in_one_process(
        readings: Path, local_cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    single = _check(readings, None)
    sizes = _quasi.class_sizes(load_package(str(readings)).resources[0],
                               ["gemessen_um", "kategorie"])
    monkeypatch.setattr(scan, "PART_BYTES", PART_BYTES)
    # neither one row per class from the workers nor a count in this process
    monkeypatch.setattr(quasi, "class_sizes_on", _never)
    monkeypatch.setattr(_quasi, "class_sizes", _never)
    received: list[list[classes.Bucket]] = []
    combine = classes.combine

    def combined(buckets: list[classes.Bucket], k: int) -> _quasi.ClassSummary:
        received.append(buckets)
        return combine(buckets, k)

    monkeypatch.setattr(classes, "combine", combined)
    summaries = _recorded(monkeypatch, classes, "class_summary_on")
    on_cluster = _check(readings, local_cluster.address)
    assert [s is not None for s in summaries] == [True, True]
    assert on_cluster.findings == single.findings  # messages, masked samples, order
    assert on_cluster.stats == single.stats
    # the class a masked sample hides: the first below k in order of first appearance,
    # which comes after the common classes (none small), not in the first range
    assert summaries[0] == _quasi.summarise(sizes, 5)
    assert np.flatnonzero(sizes.to_numpy() < 5)[0] >= 100
    # what the client received: a summary per bucket (two per worker), a few hundred
    # bytes each, where the class sizes have a row for nearly every record
    assert len(sizes) > 0.75 * ROWS
    assert [len(buckets) for buckets in received] == [4, 4]
    assert max(len(pickle.dumps(buckets)) for buckets in received) < 4_000
    stats = single.stats["rule_stats"]
    assert stats["k-anonymity"]["readings"]["classes"] == len(sizes)
    assert stats["residual-uniqueness"]["resources"]["readings"]["unique"] == int(
        (sizes == 1).sum())
    assert {f.rule for f in single.findings} == {"k-anonymity", "residual-uniqueness"}


@pytest.mark.parametrize(("edit", "on_workers"), [("a blank line", True),
                                                  ("a ragged record", False)])
def test_blank_lines_and_ragged_records_count_as_in_one_process(
        readings: Path, tmp_path: Path, local_cluster: LocalCluster,
        monkeypatch: pytest.MonkeyPatch, edit: str, on_workers: bool) -> None:
    """A blank line is a record of empty cells, on the workers as in one process; a
    ragged record is read with the row rules: the client counts the classes."""
    package = tmp_path / "edited"
    package.mkdir()
    (package / "datapackage.json").write_bytes((readings / "datapackage.json").read_bytes())
    lines = (readings / "readings.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(30_000, "\n" if edit == "a blank line" else "M7,2024-03-02T10:00:00\n")
    (package / "readings.csv").write_text("".join(lines), encoding="utf-8")
    single = _check(package, None)
    monkeypatch.setattr(scan, "PART_BYTES", PART_BYTES)
    summaries = _recorded(monkeypatch, classes, "class_summary_on")
    on_cluster = _check(package, local_cluster.address)
    assert [s is not None for s in summaries] == [on_workers, on_workers]
    assert on_cluster.findings == single.findings
    assert on_cluster.stats == single.stats
    assert single.stats["rule_stats"]["residual-uniqueness"]["resources"]["readings"][
        "records"] == ROWS + 1
