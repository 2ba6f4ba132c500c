"""GeoParquet resources kept in a folder of Parquet files (hive-style partitions):
read, streamed, validated and checked as one file holding the same records; and
the clear errors for a folder that cannot be used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from publisher.errors import InputError, UnsafePathError
from publisher.package import batches
from publisher.package.loader import load_package
from publisher.rules.policy import check_package, load_policy
from publisher.validate import validate_package
from tests.package import parquet_sets


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return parquet_sets.write(tmp_path_factory.mktemp("sets"))


def test_folder_reads_as_one_file_with_the_same_records(packages: tuple[Path, Path]) -> None:
    one, folder = (load_package(str(p)).resources[0] for p in packages)
    assert folder.dataset is not None and one.dataset is None
    assert folder.path == (packages[1] / "data" / "reports").resolve()
    assert [len(g) for g in folder.dataset.groups] == [2, 2, 2, 2]  # 300, 300, 200, 200 rows
    assert [Path(f).relative_to(folder.path).as_posix() for f in folder.dataset.files] == [
        "year=2023/part-0.parquet", "year=2023/part-1.parquet",
        "year=2024/part-0.parquet", "year=2024/part-1.parquet"]  # _SUCCESS left out
    assert folder.geometry == one.geometry
    a, b = one.table(), folder.table()
    assert isinstance(b, gpd.GeoDataFrame) and b.crs == a.crs
    assert b.index.tolist() == list(range(1, 1001))
    pd.testing.assert_frame_equal(a, b)


def test_stream_gives_the_batches_of_the_records_in_memory(packages: tuple[Path, Path]) -> None:
    streamed = load_package(str(packages[1])).resources[0]
    read = load_package(str(packages[1])).resources[0]
    read.table()
    assert batches.text_columns(streamed) == batches.text_columns(read) == [
        "id", "note", "category", "status", "reporter_name", "year"]
    assert streamed.data is None
    left, right = list(batches.iter_batches(streamed)), list(batches.iter_batches(read))
    assert len(left) == 8 and len(right) == 1  # row groups, one batch of the frame
    assert streamed.data is None  # nothing read whole
    for name in batches.text_columns(read):
        assert [v for b in left for v in b.columns[name].to_pylist()] == \
            right[0].columns[name].to_pylist()
    assert [r for b in left for r in b.rows.tolist()] == right[0].rows.tolist()


def test_check_finds_what_it_finds_in_one_file(packages: tuple[Path, Path]) -> None:
    policy = load_policy("de-open-data")
    single = check_package(policy, load_package(str(packages[0])))
    folder = check_package(policy, load_package(str(packages[1])))
    assert any(f.row for f in single.findings)
    assert folder.findings == single.findings
    assert folder.stats == single.stats


def test_validate_finds_what_it_finds_in_one_file(packages: tuple[Path, Path]) -> None:
    single = validate_package(load_package(str(packages[0])))
    folder = validate_package(load_package(str(packages[1])))
    assert folder.findings == single.findings
    assert folder.stats["resources"] == single.stats["resources"]


def _folder_package(tmp_path: Path, folder: str = "data/reports") -> Path:
    parquet_sets._package(tmp_path, folder)
    (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    return tmp_path


def _refused(package: Path) -> str:
    with pytest.raises(InputError) as info:
        load_package(str(package))
    return info.value.message


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    package = _folder_package(tmp_path)
    (package / "data" / "reports" / ".hidden").write_bytes(b"x")
    assert _refused(package) == ("resource 'reports': 'data/reports' holds no Parquet file")


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    package = _folder_package(tmp_path)
    parquet_sets.write_partitions(package / "data" / "reports", parquet_sets.frame(40), 10)
    (package / "data" / "reports" / "year=2024" / "notes.txt").write_text("hallo")
    assert _refused(package) == ("resource 'reports': 'year=2024/notes.txt' in 'data/reports' "
                                 "is not a Parquet file")


def test_mixed_schemas_are_named(tmp_path: Path) -> None:
    package = _folder_package(tmp_path)
    folder = package / "data" / "reports"
    parquet_sets.write_partitions(folder, parquet_sets.frame(40), 10)
    other = gpd.read_parquet(folder / "year=2024" / "part-1.parquet")
    other["status"] = 1
    other.to_parquet(folder / "year=2024" / "part-1.parquet")
    assert _refused(package) == (
        "resource 'reports': the files in 'data/reports' have different schemas: "
        "'year=2024/part-1.parquet' differs from 'year=2023/part-0.parquet' "
        "(column 'status' is large_string against int64)")
    other.to_crs("EPSG:25833").assign(status="neu").to_parquet(
        folder / "year=2024" / "part-1.parquet")
    assert "(their 'geo' metadata (geometry column or CRS) differ)" in _refused(package)


def test_folder_stays_inside_the_package(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    parquet_sets.write_partitions(outside, parquet_sets.frame(40), 10)
    package = _folder_package(tmp_path / "pkg")
    (package / "data" / "reports" / "year=2025").symlink_to(outside / "year=2024")
    with pytest.raises(UnsafePathError, match="symbolic link to a folder"):
        load_package(str(package))
    shutil.rmtree(package / "data")
    (package / "data").mkdir()
    (package / "data" / "reports").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="leaves the package root"):
        load_package(str(package))
    (package / "data" / "reports").unlink()
    (package / "data" / "reports").mkdir()
    (package / "data" / "reports" / "a.parquet").symlink_to(
        next(outside.glob("year=2023/*.parquet")))
    with pytest.raises(UnsafePathError, match="leads out of the folder"):
        load_package(str(package))
    parquet_sets._package(package, "../outside")
    with pytest.raises(UnsafePathError, match="leaves the package root"):
        load_package(str(package))


def test_folder_of_another_format_is_still_refused(tmp_path: Path) -> None:
    package = _folder_package(tmp_path)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["resources"][0]["format"] = "csv"
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    assert "is not a file" in _refused(package)


def test_s3_prefix_needs_remote_input_and_an_allowed_bucket(tmp_path: Path) -> None:
    package = parquet_sets._package(tmp_path, "s3://publisher/sets/reports/")
    with pytest.raises(UnsafePathError, match="remote resources are not allowed"):
        load_package(str(package))
    with pytest.raises(UnsafePathError, match="bucket 'publisher' is not on the allowlist"):
        load_package(str(package), allow_remote=True, remote_hosts=["example.org"])


def test_bytes_and_hash_of_a_folder_are_not_checked_but_said(tmp_path: Path) -> None:
    package = _folder_package(tmp_path)
    parquet_sets.write_partitions(package / "data" / "reports", parquet_sets.frame(40), 10)
    parquet_sets._package(package, "data/reports", bytes=12, hash="md5:00")
    report = validate_package(load_package(str(package)))
    assert not [f for f in report.findings if f.type in ("byte-count", "hash-count")]
    assert "resource 'reports': `bytes` and `hash` are not checked for a folder or prefix " \
           "of files" in report.notes


def test_string_and_large_string_files_make_one_set(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    package = _folder_package(tmp_path)
    folder = package / "data" / "reports"
    parquet_sets.write_partitions(folder, parquet_sets.frame(40), 10)
    file = folder / "year=2024" / "part-1.parquet"
    table = pq.read_table(file)
    narrow = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type)
                        else f for f in table.schema], metadata=table.schema.metadata)
    pq.write_table(table.cast(narrow), file)
    resource = load_package(str(package)).resources[0]
    assert resource.table()["note"].tolist() == parquet_sets.frame(40)["note"].tolist()


def test_grid_aggregate_counts_a_folder_row_group_by_row_group(
        packages: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.package.readers import geoparquet
    from publisher.steps.base import StepContext
    from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams

    params = GridAggregateParams(resource="reports", by=["category"], min_count=3,
                                 merge_up=[1000, 10000])
    one = load_package(str(packages[0]))
    expected = GridAggregate(params).run(one, StepContext())
    folder = load_package(str(packages[1]))

    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("the folder was read whole")

    monkeypatch.setattr(geoparquet, "read_table", whole)
    outcome = GridAggregate(params).run(folder, StepContext())
    assert outcome.stats == expected.stats and expected.stats["cells_merged"] > 0
    got, want = folder.resources[0].table(), one.resources[0].table()
    assert got.dtypes.equals(want.dtypes)
    assert got.drop(columns="geometry").equals(want.drop(columns="geometry"))
    assert got.geometry.geom_equals_exact(want.geometry, 0).all()
