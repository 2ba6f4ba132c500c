"""A partitioned GeoParquet resource validated on the real local cluster: each
worker validates the records of its row group with frictionless, and the report
(findings, row numbers, counts) is the one of a pass over the whole set in one
process; with a primary key too, checked by the client over the workers' key
cells (more in test_cluster_sets_keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from publisher.cluster import passes_for
from publisher.cluster import validate as cluster_validate
from publisher.package.loader import load_package
from publisher.report import Report
from publisher.validate import validate_package
from tests.cluster.conftest import LocalCluster
from tests.package import parquet_sets

FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string", "constraints": {"pattern": "R[0-9]{5}"}},
    {"name": "note", "type": "string", "constraints": {"maxLength": 30}},
    {"name": "category", "type": "string", "constraints": {"enum": ["Straße", "Licht"]}},
    {"name": "status", "type": "string"},
    {"name": "reporter_name", "type": "string", "constraints": {"maxLength": 12}},
    {"name": "year", "type": "integer", "constraints": {"maximum": 2023}},
]


def _set(root: Path, keyed: bool = False) -> Path:
    schema: dict[str, Any] = {"fields": FIELDS}
    if keyed:
        schema["primaryKey"] = ["id"]
    folder = parquet_sets._package(root, "data/reports", schema=schema)
    parquet_sets.write_partitions(folder / "data" / "reports", parquet_sets.frame(3_000), 200)
    return folder


def _seen(report: Report) -> list[tuple[Any, ...]]:
    return [(f.type, f.resource, f.field, f.row, f.message) for f in report.findings]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The row groups each call of the workers' validation combined (-1: None)."""
    seen: list[int] = []
    on_workers = cluster_validate.validate_set_on

    def recorded(*args: Any, **kwargs: Any) -> Any:
        done = on_workers(*args, **kwargs)
        seen.append(-1 if done is None else done.rows)
        return done

    monkeypatch.setattr(cluster_validate, "validate_set_on", recorded)
    return seen


def test_the_workers_validate_a_set_as_one_process_does(local_cluster: LocalCluster,
                                                        tmp_path: Path, calls: list[int]) -> None:
    folder = _set(tmp_path / "set")
    alone = validate_package(load_package(str(folder)))
    spread = validate_package(load_package(str(folder)),
                              sets=passes_for(local_cluster.address).validate_set)
    assert calls == [3_000]  # every record, on the workers
    assert not alone.valid
    rows = [f.row for f in alone.findings if f.row is not None]
    assert len(rows) > 500 and max(rows) > 2_000  # errors in every part of the set
    assert {"constraint-error"} <= {f.type for f in alone.findings}
    assert _seen(spread) == _seen(alone)
    assert spread.stats["resources"] == alone.stats["resources"]


def test_a_set_with_keys_is_validated_on_the_workers(local_cluster: LocalCluster,
                                                     tmp_path: Path, calls: list[int]) -> None:
    folder = _set(tmp_path / "set", keyed=True)
    alone = validate_package(load_package(str(folder)))
    spread = validate_package(load_package(str(folder)),
                              sets=passes_for(local_cluster.address).validate_set)
    assert calls == [3_000]  # the keys are checked across the row groups, here
    assert _seen(spread) == _seen(alone)
