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
class counts of k-anonymity (category, status, reporter name;
publisher.cluster.quasi), each with the bytes a range sends back to the client
(the shuffle volume of the step).

    .venv/bin/python benchmarks/cluster.py [--rows N] [--part-mb N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import pickle
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _scaled_reports
from _quick import QUICK_HELP, result

from publisher.cluster import grid, passes_for, quasi, scan
from publisher.cluster.ranges import over_ranges
from publisher.cluster.scan import prescan
from publisher.package.loader import load_package
from publisher.rules import _identifiers
from publisher.rules._quasi import class_sizes
from publisher.steps.base import StepContext
from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams

GRID = GridAggregateParams(resource="reports", by=["category"], min_count=3,
                           merge_up=[1000, 10000])
QUASI = ["category", "status", "reporter_name"]

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "local" / "cluster"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cluster(command: str, env: dict[str, str]) -> None:
    done = subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    if done.returncode:
        sys.exit(f"deploy/local/cluster {command} failed:\n{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--part-mb", type=float, default=32.0,
                        help="byte range per task (publisher.cluster.scan.PART_BYTES)")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    rows = 20_000 if args.quick else args.rows
    part_bytes = int((1.0 if args.quick else args.part_mb) * 1024**2)
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        folder = Path(tmp)
        files = _scaled_reports.write(folder / "data", rows)
        size = _scaled_reports.size_mb(files["latlon"])
        port = _free_port()
        env = {**os.environ, "PUBLISHER_STACK_DIR": str(folder / "stack"),
               "PUBLISHER_CLUSTER_PORT": str(port), "PUBLISHER_CLUSTER_PYTHON": sys.executable,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                           os.environ.get("PYTHONPATH")]))}
        address = f"tcp://127.0.0.1:{port}"
        print(f"{rows:,} defect reports, {size:,.1f} MB CSV; cluster {address}, 2 workers "
              f"x 1 thread, ranges of {part_bytes / 1024**2:g} MB", flush=True)
        _cluster("up", env)
        try:
            # the workers load the name lists on their first task: warm them up first,
            # as this process has them loaded by its own warm-up scan
            warm = load_package(str(files["latlon"].parent))
            prescan(warm, address, part_bytes=max(1, files["latlon"].stat().st_size // 4))
            _identifiers.scan_resource(load_package(str(ROOT / "pipelines" / "samples"
                                                        / "defect-reports")).resources[0])
            package = load_package(str(files["latlon"].parent))
            start = time.perf_counter()
            single = _identifiers.scan_resource(package.resources[0])
            single_s = time.perf_counter() - start
            package = load_package(str(files["latlon"].parent))
            start = time.perf_counter()
            prescan(package, address, part_bytes=part_bytes)
            cluster_s = time.perf_counter() - start
            scanned = _identifiers._CACHE[id(package.resources[0])][2]
            folder_of = files["latlon"].parent
            scan.PART_BYTES = part_bytes  # the ranges of the counting passes
            aggregations = [_grid(folder_of, address), _classes(folder_of, address)]
        finally:
            _cluster("down", env)
    same = (scanned.hits == single.hits and scanned.names == single.names
            and scanned.columns == single.columns)
    print(f"{'':14}{'seconds':>10}{'rows/s':>12}")
    print(f"{'one process':14}{single_s:>10.1f}{rows / single_s:>12,.0f}")
    print(f"{'2 workers':14}{cluster_s:>10.1f}{rows / cluster_s:>12,.0f}")
    print(f"speed-up {single_s / cluster_s:.2f}x on {os.cpu_count()} cores; "
          f"identical scan: {same}")
    result("cluster_scan_identical", "yes" if same else "no", "yes", args.quick,
           f"({rows:,} rows)")
    result("cluster_scan_speedup_2_workers", f"{single_s / cluster_s:.2f}", ">= 1", args.quick,
           f"({rows:,} rows, {os.cpu_count()} cores shared by client and workers)")
    print(f"{'':18}{'one process s':>14}{'2 workers s':>12}{'ranges':>8}"
          f"{'KB per range':>14}{'identical':>10}")
    for name, one_s, two_s, sizes, equal in aggregations:
        print(f"{name:18}{one_s:>14.2f}{two_s:>12.2f}{len(sizes):>8}"
              f"{sum(sizes) / max(len(sizes), 1) / 1024:>14.1f}{equal!s:>10}")
        result(f"cluster_{name}_identical", "yes" if equal else "no", "yes", args.quick,
               f"({rows:,} rows)")
        result(f"cluster_{name}_speedup_2_workers", f"{one_s / two_s:.2f}", ">= 1",
               args.quick, f"({rows:,} rows)")
        result(f"cluster_{name}_kb_per_range", f"{sum(sizes) / max(len(sizes), 1) / 1024:.1f}",
               "-", args.quick, f"(ranges of {part_bytes / 1024**2:g} MB)")
    if not same or not all(a[-1] for a in aggregations):
        sys.exit(1)


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
    """k-anonymity's class counts in this process and on the workers."""
    timed = []
    for cluster in (None, address):
        resource = load_package(str(folder)).resources[0]
        start = time.perf_counter()
        sizes = class_sizes(resource, QUASI, passes_for(cluster))
        timed.append((time.perf_counter() - start, sizes))
    resource = load_package(str(folder)).resources[0]
    parts = over_ranges(resource, QUASI, quasi.classes_part, address, names=QUASI) or []
    (one_s, one), (two_s, two) = timed
    return ("class_counts", one_s, two_s, [len(pickle.dumps(p)) for p in parts],
            one.equals(two) and list(one.index) == list(two.index))


if __name__ == "__main__":
    main()
