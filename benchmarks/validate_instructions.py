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

    .venv/bin/python benchmarks/validate_instructions.py [--rows 1000000] [--clean]
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
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", PROBE, kind, str(csv_path), str(package)],
        capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None:
        raise SystemExit(f"{kind} failed under callgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clean", action="store_true", help="the clean file, not the 1 % bad")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        label = "clean" if args.clean else "bad-1pct"
        csv_path = Path(tmp) / f"{label}-{args.rows}.csv"
        generate(csv_path, args.rows, 0.0 if args.clean else 0.01, SEED + args.rows)
        package = write_package(Path(tmp), csv_path.name)
        counts = {kind: instructions(kind, csv_path, package) for kind in KINDS}
    base = counts["imports"]
    raw = counts["raw"] - base
    print(f"{label} {args.rows:,} rows: instructions beyond the imports ({base / 1e9:.2f} G)")
    for kind in KINDS[1:]:
        net = counts[kind] - base
        print(f"  {kind:<13} {net / 1e9:6.2f} G  {net / raw:5.2f}x the raw read")


if __name__ == "__main__":
    main()
