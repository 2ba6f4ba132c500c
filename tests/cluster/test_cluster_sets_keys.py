"""A partitioned GeoParquet resource whose schema has a primary key and unique
fields, validated on the real local cluster: the workers validate their row
groups and hand back the key cells, the client checks the keys across them; the
findings (messages, row numbers) are those of one frictionless pass. Foreign
keys into another resource are looked up by the client in that resource's keys;
a set whose foreign keys refer to itself is validated by the client."""

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
from tests.validate.test_validate_set_keys import (
    FIELDS,
    FOREIGN,
    keyed_set,
    seen,
    with_duplicates,
    with_lookup_table,
)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The records each call of the workers' validation combined (-1: None)."""
    made: list[int] = []
    on_workers = cluster_validate.validate_set_on

    def recorded(*args: Any, **kwargs: Any) -> Any:
        done = on_workers(*args, **kwargs)
        made.append(-1 if done is None else done.rows)
        return done

    monkeypatch.setattr(cluster_validate, "validate_set_on", recorded)
    return made


def _both(folder: Path, address: str) -> tuple[Report, Report]:
    return (validate_package(load_package(str(folder))),
            validate_package(load_package(str(folder)), sets=passes_for(address).validate_set))


def test_duplicate_and_null_keys_across_partitions_as_one_process(
        local_cluster: LocalCluster, tmp_path: Path, calls: list[int]) -> None:
    folder = keyed_set(tmp_path, with_duplicates(400), {"fields": FIELDS, "primaryKey": ["id"]},
                       group_rows=4)
    alone, spread = _both(folder, local_cluster.address)
    assert calls == [400]  # every record, on the workers
    by_type = {t: [f for f in alone.findings if f.type == t]
               for t in ("primary-key", "unique-error")}
    # R00001 in the first row group, again in the second, again in the last file
    assert [f.row for f in by_type["primary-key"] if "position" in f.message][:1] == [6]
    assert max(f.row or 0 for f in by_type["primary-key"]) > 300  # across the files
    assert sum("all" in f.message for f in by_type["primary-key"]) == 2  # null keys
    assert len(by_type["unique-error"]) > 200
    assert seen(spread) == seen(alone)
    assert spread.stats["resources"] == alone.stats["resources"]
    assert spread.notes == alone.notes


def test_a_composite_key_on_the_workers(local_cluster: LocalCluster, tmp_path: Path,
                                        calls: list[int]) -> None:
    fields = [{k: v for k, v in f.items() if k != "constraints"} for f in FIELDS]
    folder = keyed_set(tmp_path, with_duplicates(200),
                       {"fields": fields, "primaryKey": ["status", "category"]}, group_rows=30)
    alone, spread = _both(folder, local_cluster.address)
    assert calls == [200]
    assert len([f for f in alone.findings if f.type == "primary-key"]) > 190
    assert seen(spread) == seen(alone)


def test_foreign_keys_into_a_table_on_the_workers(local_cluster: LocalCluster, tmp_path: Path,
                                                   calls: list[int]) -> None:
    fields = [{k: v for k, v in f.items() if f["name"] != "category" or k != "constraints"}
              for f in FIELDS]
    folder = with_lookup_table(keyed_set(tmp_path, with_duplicates(300), {
        "fields": fields, "primaryKey": ["id"], "foreignKeys": [FOREIGN]}, group_rows=25))
    alone, spread = _both(folder, local_cluster.address)
    assert calls == [300]
    assert len([f for f in alone.findings if f.type == "foreign-key"]) > 50
    assert seen(spread) == seen(alone)
    assert spread.stats["resources"] == alone.stats["resources"]


def test_a_set_whose_foreign_keys_refer_to_itself_is_validated_by_the_client(
        local_cluster: LocalCluster, tmp_path: Path, calls: list[int]) -> None:
    records = with_duplicates(120)
    records["parent"] = ["R00000" if i % 9 else "R99999" for i in range(len(records))]
    fields = [*FIELDS, {"name": "parent", "type": "string"}]
    folder = keyed_set(tmp_path, records, {
        "fields": fields, "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["id"]}}]})
    alone, spread = _both(folder, local_cluster.address)
    assert calls == []  # the referenced keys are looked up here
    assert "foreign-key" in {f.type for f in alone.findings}
    assert seen(spread) == seen(alone)
