"""The identifier scan on a local Dask cluster (2 workers) against one process.

Defect reports as the shipped sample has them, scaled (benchmarks/_scaled_reports.py),
are scanned for every identifier kind twice: by publisher.rules._identifiers in
this process, and by publisher.cluster.scan on a real cluster that this script
starts with deploy/local/cluster (a scheduler and two single-threaded workers on
127.0.0.1, on a free port, state in a temporary directory) and stops again. Both
scans must be identical (hits, row numbers, name shares). Prints the rows, the
file size, the seconds of each, rows per second side by side and the RESULT
lines. On a 2-core machine, where the client, the scheduler and both workers
share the cores, the gain is small (or a loss): it is printed as it is.

Then the two distributed aggregations the same way: grid-aggregate's count (100 m
cells, merge-up to 1 km and 10 km, by category; publisher.cluster.grid) and the
class summary of k-anonymity (category, status, reporter name;
publisher.cluster.classes), each with the bytes of a range's partial result (the
shuffle volume of the step: grid counts go to the client's tree, the class
counts' hash buckets to other workers, and the client receives 2 small summaries
per worker).

Then the same records as GeoParquet partitions (a folder of files of
`--parquet-rows` records each, row groups of `--group-rows`): the identifier scan
and the class counts in this process (row group by row group) and on the
workers, which read the row groups themselves (the client sends each task the
files' paths and footers: `KB per task`).

--cases picks the cases (scan, grid, classes, parquet): a 10M-row comparison of one
of them (--rows 10000000 --cases parquet) then runs in reasonable time.

    .venv/bin/python benchmarks/cluster.py [--rows N] [--part-mb N] [--cases ...] [--quick]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import _scaled_reports
import geopandas as gpd
import pandas as pd
from _local_cluster import local_cluster
from _quick import QUICK_HELP, result

from publisher.cluster import classes, grid, passes_for, scan
from publisher.cluster.ranges import over_ranges, set_parts
from publisher.cluster.scan import prescan
from publisher.package.batches import iter_batches
from publisher.package.geobatches import geometry_batches
from publisher.package.loader import load_package
from publisher.rules import _identifiers
from publisher.rules._quasi import class_summary
from publisher.steps.base import StepContext
from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams

GRID = GridAggregateParams(resource="reports", by=["category"], min_count=3,
                           merge_up=[1000, 10000])
QUASI = ["category", "status", "reporter_name"]
K = 5  # the shipped policies' k
CASES = ("scan", "grid", "classes", "parquet")

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--part-mb", type=float, default=32.0,
                        help="byte range per task (publisher.cluster.scan.PART_BYTES)")
    parser.add_argument("--parquet-rows", type=int, default=1_000_000,
                        help="records per GeoParquet file of the parquet case")
    parser.add_argument("--group-rows", type=int, default=250_000,
                        help="records per row group (one task each) of the parquet case")
    parser.add_argument("--cases", default=",".join(CASES),
                        help=f"comma-separated, of {', '.join(CASES)}")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    cases = [c for c in args.cases.split(",") if c]
    if any(c not in CASES for c in cases):
        parser.error(f"--cases: of {', '.join(CASES)}")
    rows = 20_000 if args.quick else args.rows
    per_file, per_group = (6_000, 2_500) if args.quick else (args.parquet_rows, args.group_rows)
    part_bytes = int((1.0 if args.quick else args.part_mb) * 1024**2)
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        folder = Path(tmp)
        files = _scaled_reports.write(folder / "data", rows)
        size = _scaled_reports.size_mb(files["latlon"])
        with local_cluster(folder / "stack") as address:
            print(f"{rows:,} defect reports, {size:,.1f} MB CSV; cluster {address}, 2 workers "
                  f"x 1 thread, ranges of {part_bytes / 1024**2:g} MB", flush=True)
            # the workers load the name lists on their first task: warm them up first,
            # as this process has them loaded by its own warm-up scan
            warm = load_package(str(files["latlon"].parent))
            prescan(warm, address, part_bytes=max(1, files["latlon"].stat().st_size // 4))
            _identifiers.scan_resource(load_package(str(ROOT / "pipelines" / "samples"
                                                        / "defect-reports")).resources[0])
            scanned = _scans(files["latlon"].parent, address, part_bytes) \
                if "scan" in cases else None
            folder_of = files["latlon"].parent
            scan.PART_BYTES = part_bytes  # the ranges of the counting passes
            aggregations = [*([_grid(folder_of, address)] if "grid" in cases else []),
                            *([_classes(folder_of, address)] if "classes" in cases else [])]
            if "parquet" in cases:
                parquet = _write_parquet(folder_of, folder / "parquet", per_file, per_group)
                written = sorted(parquet.rglob("*.parquet"))
                print(f"GeoParquet case: {sum(map(_scaled_reports.size_mb, written)):,.1f} MB "
                      f"in {len(written)} files, row groups of {per_group:,}", flush=True)
                aggregations += [_parquet_scan(parquet.parents[1], address),
                                 _parquet_grid(parquet.parents[1], address),
                                 _parquet_classes(parquet.parents[1], address)]
    same = True
    if scanned is not None:
        same, single_s, cluster_s = scanned
        _print_scan(rows, single_s, cluster_s, same, args.quick)
    print(f"{'':20}{'one process s':>14}{'2 workers s':>12}{'tasks':>8}"
          f"{'KB back/task':>14}{'identical':>10}")
    for name, one_s, two_s, sizes, equal in aggregations:
        print(f"{name:20}{one_s:>14.2f}{two_s:>12.2f}{len(sizes):>8}"
              f"{sum(sizes) / max(len(sizes), 1) / 1024:>14.1f}{equal!s:>10}")
        result(f"cluster_{name}_identical", "yes" if equal else "no", "yes", args.quick,
               f"({rows:,} rows)")
        result(f"cluster_{name}_speedup_2_workers", f"{one_s / two_s:.2f}", ">= 1",
               args.quick, f"({rows:,} rows)")
        unit = f"row groups of {per_group:,}" if name.startswith("parquet") else \
            f"ranges of {part_bytes / 1024**2:g} MB"
        result(f"cluster_{name}_kb_per_range", f"{sum(sizes) / max(len(sizes), 1) / 1024:.1f}",
               "-", args.quick, f"({unit})")
    if not same or not all(a[-1] for a in aggregations):
        sys.exit(1)


def _scans(folder: Path, address: str, part_bytes: int) -> tuple[bool, float, float]:
    """The identifier scan of the CSV file in this process and on the workers."""
    package = load_package(str(folder))
    start = time.perf_counter()
    single = _identifiers.scan_resource(package.resources[0])
    single_s = time.perf_counter() - start
    package = load_package(str(folder))
    start = time.perf_counter()
    prescan(package, address, part_bytes=part_bytes)
    cluster_s = time.perf_counter() - start
    scanned = _identifiers._CACHE[id(package.resources[0])][2]
    same = (scanned.hits == single.hits and scanned.names == single.names
            and scanned.columns == single.columns)
    return same, single_s, cluster_s


def _print_scan(rows: int, single_s: float, cluster_s: float, same: bool, quick: bool) -> None:
    print(f"{'':14}{'seconds':>10}{'rows/s':>12}")
    print(f"{'one process':14}{single_s:>10.1f}{rows / single_s:>12,.0f}")
    print(f"{'2 workers':14}{cluster_s:>10.1f}{rows / cluster_s:>12,.0f}")
    print(f"speed-up {single_s / cluster_s:.2f}x on {os.cpu_count()} cores; "
          f"identical scan: {same}")
    result("cluster_scan_identical", "yes" if same else "no", "yes", quick,
           f"({rows:,} rows)")
    result("cluster_scan_speedup_2_workers", f"{single_s / cluster_s:.2f}", ">= 1", quick,
           f"({rows:,} rows, {os.cpu_count()} cores shared by client and workers)")


def _write_parquet(csv_package: Path, package: Path, per_file: int, per_group: int) -> Path:
    """The CSV package's records (their text columns and points, as this process
    reads them) as a GeoParquet folder of files of per_file records, streamed."""
    resource = load_package(str(csv_package)).resources[0]
    assert resource.geometry is not None
    crs = resource.geometry.crs
    folder = package / "data" / "reports"
    folder.mkdir(parents=True)
    shapes = geometry_batches(resource, per_file)
    for number, batch in enumerate(iter_batches(resource, batch_rows=per_file)):
        geoms = next(shapes)
        frame = pd.DataFrame({c: a.to_pandas() for c, a in batch.columns.items()})
        gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms.geoms, crs=crs)).to_parquet(
            folder / f"part-{number:05d}.parquet", row_group_size=per_group)
    (package / "datapackage.json").write_text(
        '{"name": "reports-parquet", "resources": [{"name": "reports", '
        '"path": "data/reports", "format": "geoparquet"}]}', encoding="utf-8")
    return folder


def _parquet_scan(package: Path, address: str) -> tuple[str, float, float, list[int], bool]:
    """The identifier scan of the GeoParquet folder in this process (row group by row
    group) and on the workers (which read the row groups themselves)."""
    resource = load_package(str(package)).resources[0]
    start = time.perf_counter()
    single = _identifiers.scan_resource(resource)
    one_s = time.perf_counter() - start
    loaded = load_package(str(package))
    start = time.perf_counter()
    prescan(loaded, address)
    two_s = time.perf_counter() - start
    scanned = _identifiers._CACHE[id(loaded.resources[0])][2]
    parts = set_parts(loaded.resources[0], scanned.columns) or []
    sent = [len(pickle.dumps(p)) for p in parts]
    print(f"GeoParquet case: the client sends {sum(sent) / max(len(sent), 1) / 1024:.1f} KB "
          "per task (its file's path and footer, no record)")
    summaries = over_ranges(loaded.resources[0], scanned.columns,
                            lambda part: scan.summary(scan.scan_part(part)), address) or []
    same = (scanned.hits == single.hits and scanned.names == single.names
            and scanned.columns == single.columns)
    return "parquet_scan", one_s, two_s, [len(pickle.dumps(p)) for p in summaries], same


def _parquet_grid(package: Path, address: str) -> tuple[str, float, float, list[int], bool]:
    """grid-aggregate's count of the GeoParquet folder, here and on the workers."""
    timed = []
    for cluster in (None, address):
        loaded = load_package(str(package))
        start = time.perf_counter()
        GridAggregate(GRID).run(loaded, StepContext(passes=passes_for(cluster)))
        timed.append((time.perf_counter() - start, loaded.resources[0].table()))
    resource = load_package(str(package)).resources[0]
    light = dataclasses.replace(resource, dataset=None)
    parts = over_ranges(resource, GRID.by, grid.count_set_part, address, layout=light,
                        params=GRID) or []
    (one_s, one), (two_s, two) = timed
    return ("parquet_grid_count", one_s, two_s, [len(pickle.dumps(p)) for p in parts],
            one.to_wkb().equals(two.to_wkb()))


def _parquet_classes(package: Path, address: str) -> tuple[str, float, float, list[int], bool]:
    """k-anonymity's class counts of the GeoParquet folder, here and on the workers."""
    _, one_s, two_s, sizes, same = _classes(package, address)
    return "parquet_class_counts", one_s, two_s, sizes, same


def _grid(folder: Path, address: str) -> tuple[str, float, float, list[int], bool]:
    """grid-aggregate's count in this process and on the workers."""
    timed = []
    for cluster in (None, address):
        package = load_package(str(folder))
        start = time.perf_counter()
        GridAggregate(GRID).run(package, StepContext(passes=passes_for(cluster)))
        timed.append((time.perf_counter() - start, package.resources[0].table()))
    resource = load_package(str(folder)).resources[0]
    assert resource.geometry is not None
    parts = over_ranges(resource, [*resource.geometry.columns, *GRID.by], grid.count_part,
                        address, layout=resource, params=GRID) or []
    (one_s, one), (two_s, two) = timed
    return ("grid_count", one_s, two_s, [len(pickle.dumps(p)) for p in parts],
            one.to_wkb().equals(two.to_wkb()))


def _classes(folder: Path, address: str) -> tuple[str, float, float, list[int], bool]:
    """k-anonymity's class summary in this process and on the workers (hash buckets,
    publisher.cluster.classes); the sizes of the ranges' bucketed partial counts,
    which go to other workers (the client receives 2 small summaries per worker)."""
    timed = []
    for cluster in (None, address):
        resource = load_package(str(folder)).resources[0]
        start = time.perf_counter()
        summary = class_summary(resource, QUASI, K, passes_for(cluster))
        timed.append((time.perf_counter() - start, summary))
    resource = load_package(str(folder)).resources[0]
    parts = over_ranges(resource, QUASI, classes.buckets_part, address, names=QUASI,
                        buckets=4) or []
    (one_s, one), (two_s, two) = timed
    return ("class_counts", one_s, two_s, [len(pickle.dumps(p)) for p in parts],
            repr(one) == repr(two))


if __name__ == "__main__":
    main()
