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

    .venv/bin/python benchmarks/cluster.py [--rows N] [--part-mb N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _scaled_reports
from _quick import QUICK_HELP, result

from publisher.cluster.scan import prescan
from publisher.package.loader import load_package
from publisher.rules import _identifiers

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
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
