"""Partitioned GeoParquet resources on the real local cluster: the workers read
the row groups themselves (the client sends the set's paths and footers, never
records), and the identifier scan and the class counts give what one process
gives on one file holding the same records, row numbers in file order."""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.cluster import classes, grid, passes_for, ranges, scan
from publisher.cluster.parts import ParquetPart
from publisher.package.loader import load_package
from publisher.rules import _identifiers
from publisher.rules.policy import check_package, load_policy
from publisher.steps.base import StepContext
from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams
from tests.cluster.conftest import LocalCluster
from tests.conftest import ROOT
from tests.package import parquet_sets

POLICY = ROOT / "tests" / "cases" / "cluster" / "counting-policy.yaml"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return parquet_sets.write(tmp_path_factory.mktemp("sets"), rows=3_000, group_rows=200)


def _cluster_scan(source: Path, address: str, read: bool = False
                  ) -> _identifiers.ResourceScan:
    package = load_package(str(source))
    resource = package.resources[0]
    if read:  # validation has read the records: the workers still read the files
        resource.table()
    assert scan.prescan(package, address) == [resource.name]
    return _identifiers._CACHE[id(resource)][2]


def test_scan_on_the_workers_is_the_scan_of_one_file(
        packages: tuple[Path, Path], local_cluster: LocalCluster) -> None:
    single = _identifiers.scan_resource(load_package(str(packages[0])).resources[0])
    assert single.hits and any(share.judged for share in single.names.values())
    assert max(row for hits in single.hits.values() for row, _ in hits.examples) > 1_000
    for read in (False, True):
        found = _cluster_scan(packages[1], local_cluster.address, read)
        assert found.columns == single.columns
        assert found.hits == single.hits  # counts, examples and their row numbers
        assert found.names == single.names


def test_client_sends_paths_not_records(packages: tuple[Path, Path]) -> None:
    resource = load_package(str(packages[1])).resources[0]
    parts = ranges.set_parts(resource, ["note"])
    assert parts is not None and len(parts) == 16  # row groups of 4 files
    assert sum(p.rows for p in parts) == 3_000
    assert all(isinstance(p, ParquetPart) and len(p.dataset.files) == 1 for p in parts)
    assert resource.dataset is not None
    assert list(dict.fromkeys(p.dataset.files[0] for p in parts)) == list(resource.dataset.files)
    # every part: its file's path and footer (a few KB), whatever the records weigh
    assert max(len(pickle.dumps(p)) for p in parts) < 8_000
    assert b"Tel. 0351" not in pickle.dumps(parts)


def _recorded(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[bool]:
    calls: list[bool] = []
    function = getattr(module, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(module, name, recorded)
    return calls


def test_counting_rules_on_the_workers_find_what_one_process_finds(
        packages: tuple[Path, Path], local_cluster: LocalCluster,
        monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policy(str(POLICY))
    single = check_package(policy, load_package(str(packages[0])))
    summaries = _recorded(monkeypatch, classes, "class_summary_on")
    on_cluster = check_package(policy, load_package(str(packages[1])),
                               passes=passes_for(local_cluster.address))
    assert summaries == [True, True]  # k-anonymity, residual uniqueness on the workers
    assert single.stats["findings_per_rule"]["k-anonymity"] == 1
    assert on_cluster.findings == single.findings
    assert on_cluster.stats == single.stats


def test_whole_check_on_the_workers_is_the_check_of_one_file(
        packages: tuple[Path, Path], local_cluster: LocalCluster) -> None:
    policy = load_policy("de-open-data")
    single = check_package(policy, load_package(str(packages[0])))
    on_cluster = check_package(policy, load_package(str(packages[1])),
                               passes=passes_for(local_cluster.address))
    assert any(f.row for f in single.findings)
    assert on_cluster.findings == single.findings
    assert on_cluster.stats == single.stats


def test_grid_counts_on_the_workers_publish_the_cells_of_one_file(
        packages: tuple[Path, Path], local_cluster: LocalCluster,
        monkeypatch: pytest.MonkeyPatch) -> None:
    params = GridAggregateParams(resource="reports", by=["category"], min_count=3,
                                 merge_up=[1000, 10000])
    published = []
    counts = _recorded(monkeypatch, grid, "grid_counts")
    for source, cluster in ((packages[0], None), (packages[1], None),
                            (packages[1], local_cluster.address)):
        package = load_package(str(source))
        outcome = GridAggregate(params).run(package, StepContext(passes=passes_for(cluster)))
        published.append((outcome.stats, package.resources[0].table(),
                          package.resources[0].descriptor["schema"]))
    assert counts == [True]  # the folder on the cluster: counted by the workers
    one, here, workers = published
    assert one[0]["cells_merged"] > 0 and len(one[1]) > 10
    for stats, table, schema in (here, workers):
        assert stats == one[0] and schema == one[2]
        assert table.index.equals(one[1].index) and table.columns.equals(one[1].columns)
        assert table.drop(columns="geometry").astype(str).equals(
            one[1].drop(columns="geometry").astype(str))
        assert table.geometry.geom_equals_exact(one[1].geometry, 0).all()
        assert table.crs == one[1].crs
        assert table.dtypes.equals(one[1].dtypes)


@pytest.fixture
def s3_prefix(monkeypatch: pytest.MonkeyPatch, packages: tuple[Path, Path]
              ) -> Iterator[tuple[str, str]]:
    """The partitions under a prefix of the stack's S3 server (tests/stack), the
    client's PUBLISHER_S3_* settings set; (uri, bucket)."""
    from tests.stack.conftest import default_env_path, parse_env_file
    from tests.stack.test_stack_parquet_s3 import s3_settings, upload

    values = parse_env_file(default_env_path())
    s3_settings(monkeypatch, values)
    from publisher.storage.s3 import make_client

    client = make_client(values["PUBLISHER_S3_ENDPOINT"], values["PUBLISHER_S3_ACCESS_KEY"],
                         values["PUBLISHER_S3_SECRET_KEY"], values["PUBLISHER_S3_REGION"])
    bucket, key = values["PUBLISHER_S3_BUCKET"], f"cluster-tests/{uuid.uuid4().hex}/reports"
    upload(client, bucket, packages[1] / "data" / "reports", key)
    try:
        yield f"s3://{bucket}/{key}/", bucket
    finally:
        for item in client.list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])


def test_workers_read_an_s3_prefix(packages: tuple[Path, Path], local_cluster: LocalCluster,
                                   s3_prefix: tuple[str, str], tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    uri, bucket = s3_prefix
    scanned: list[list[str]] = []
    prescan = scan.prescan
    monkeypatch.setattr(scan, "prescan", lambda *a, **k: scanned.append(prescan(*a, **k))
                        or scanned[-1])
    remote = parquet_sets._package(tmp_path / "remote", uri)
    policy = load_policy("de-open-data")
    single = check_package(policy, load_package(str(packages[0])))
    package = load_package(str(remote), allow_remote=True, remote_hosts=[bucket])
    on_cluster = check_package(policy, package, passes=passes_for(local_cluster.address))
    assert scanned == [["reports"]]  # the workers scanned the prefix's row groups
    assert on_cluster.findings == single.findings
