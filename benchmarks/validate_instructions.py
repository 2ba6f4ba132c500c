"""Instructions, not seconds: the engine and the raw read under callgrind.

On this machine wall and CPU time swing with page-fault and memory-compaction
costs (the raw read of one file took 0.07 s one day and 0.12 s another);
`valgrind --tool=callgrind` counts the instructions executed, which stay the
same whatever else the machine does. Each validator runs on the 1 %-bad file
of benchmarks/validate.py (same seed) in its own process, as does a process
that only imports the modules; its count is taken off the others. The engine
runs twice: with its compiled extension (splitter, cell readers, key
kernels), and without it (Arrow's parser and fast paths). A diagnostic
without a target of its own: benchmarks/validate.py holds those.

    .venv/bin/python benchmarks/validate_instructions.py [--rows 1000000] [--clean] [--quick]

--quick cannot use callgrind on the probes: each one imports frictionless,
pyarrow and the engine, some 3.5 G instructions, which callgrind takes a few
minutes to run. It runs the raw read and both engine probes without
callgrind on 5,000 rows (they still call the engine as a full run does), and
callgrind on a bare interpreter only (the tool is there and its count is read).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _quick import QUICK_HELP
from validate import SEED, WARM_IMPORTS, generate, write_package

PROBE = r'''
import contextlib, sys
import frictionless, pyarrow.csv
from publisher.package.loader import load_package
from publisher.validate import validate_package
from publisher.validate.engine import native
''' + WARM_IMPORTS + r'''
kind, csv_path, package = sys.argv[1:4]
if kind == "raw":
    pyarrow.csv.read_csv(csv_path)
elif kind != "imports":
    with native.disabled() if kind == "engine-arrow" else contextlib.nullcontext():
        report = validate_package(load_package(package))
    assert report.stats["resources"]["messwerte"]["engine"] == "arrow", report.notes
'''
KINDS = ("imports", "raw", "engine", "engine-arrow")


def instructions(kind: str, csv_path: Path, package: Path) -> int:
    return callgrind(kind, [sys.executable, "-c", PROBE, kind, str(csv_path), str(package)])


def callgrind(label: str, command: list[str]) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None:
        raise SystemExit(f"{label} failed under callgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def quick(csv_path: Path, package: Path) -> None:
    """Every probe without callgrind, callgrind on a bare interpreter."""
    for kind in KINDS[1:]:  # each probe imports what "imports" alone does
        done = subprocess.run([sys.executable, "-c", PROBE, kind, str(csv_path), str(package)],
                              capture_output=True, text=True, check=False,
                              cwd=Path(__file__).parent.parent)
        if done.returncode:
            raise SystemExit(f"probe {kind} failed:\n{done.stderr[-2000:]}")
        print(f"  probe {kind:<13} ran (without callgrind)")
    bare = callgrind("a bare interpreter", [sys.executable, "-S", "-c", "pass"])
    print(f"  callgrind on a bare interpreter (python -S -c pass): {bare / 1e6:.1f} M "
          "instructions")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--clean", action="store_true", help="the clean file, not the 1 % bad")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    args.rows = args.rows or (5_000 if args.quick else 1_000_000)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (make sysdeps, or apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        label = "clean" if args.clean else "bad-1pct"
        csv_path = Path(tmp) / f"{label}-{args.rows}.csv"
        generate(csv_path, args.rows, 0.0 if args.clean else 0.01, SEED + args.rows)
        package = write_package(Path(tmp), csv_path.name)
        if args.quick:
            print(f"# quick run, {label} {args.rows:,} rows: no instruction counts of the "
                  "probes (a diagnostic: no RESULT lines, no thresholds)")
            quick(csv_path, package)
            return
        counts = {kind: instructions(kind, csv_path, package) for kind in KINDS}
    base = counts["imports"]
    raw = counts["raw"] - base
    print(f"{label} {args.rows:,} rows: instructions beyond the imports ({base / 1e9:.2f} G)")
    for kind in KINDS[1:]:
        net = counts[kind] - base
        print(f"  {kind:<13} {net / 1e9:6.2f} G  {net / raw:5.2f}x the raw read")


if __name__ == "__main__":
    main()
