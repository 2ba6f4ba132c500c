"""Where the engine's time goes on one 1M-row file: a diagnostic, not a target.

Generates the 1 %-bad file of benchmarks/validate.py (same seed), validates
it in a fresh process and prints the serial work before and after the
parallel pass, the pass itself, and for each byte range the worker thread
that parsed it, its user and system CPU time and its page faults. It has no
target of its own; benchmarks/validate.py holds those.

    .venv/bin/python benchmarks/validate_phases.py [--rows 1000000] [--clean] [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _quick import QUICK_HELP
from validate import SEED, WARM_IMPORTS, generate, write_package

PROBE = r'''
import resource, sys, threading, time
import frictionless
''' + WARM_IMPORTS + r'''
import publisher.validate as V
import publisher.validate.engine as E
import publisher.validate.engine.resource as R
import publisher.validate.engine.stream as S
from publisher.package.loader import load_package

T0 = time.perf_counter()
spans, ranges = [], []

def timed(module, name):
    inner = getattr(module, name)
    def wrapper(*args, **kwargs):
        start = time.perf_counter() - T0
        try:
            return inner(*args, **kwargs)
        finally:
            spans.append((name, start, time.perf_counter() - T0))
    setattr(module, name, wrapper)

for name in ("validate_descriptor", "prepare_tables"):
    timed(V, name)
for name in ("_plans", "_result"):
    timed(E, name)
for name in ("_pass", "_integrity"):
    timed(R, name)

parse = S._parse_range
def parse_range(*args, **kwargs):
    before = resource.getrusage(resource.RUSAGE_THREAD)
    try:
        return parse(*args, **kwargs)
    finally:
        after = resource.getrusage(resource.RUSAGE_THREAD)
        ranges.append((threading.current_thread().name, after.ru_utime - before.ru_utime,
                       after.ru_stime - before.ru_stime, after.ru_minflt - before.ru_minflt))
S._parse_range = parse_range

package = load_package(sys.argv[1])
spans.append(("load_package", 0.0, time.perf_counter() - T0))
V.validate_package(package)
total = time.perf_counter() - T0
for name, start, stop in sorted(spans, key=lambda s: s[1]):
    took = (stop - start) * 1000
    print(f"{name:<20} {start * 1000:8.1f} -> {stop * 1000:8.1f} ms  ({took:6.1f} ms)")
print(f"{'total':<20} {total * 1000:8.1f} ms")
print("byte ranges parsed, in the order they finished:")
for thread, user, system, faults in ranges:
    print(f"  {thread:<28} user {user * 1000:6.1f} ms  system {system * 1000:6.1f} ms  "
          f"page faults {faults:6d}")
'''


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--clean", action="store_true", help="the clean file, not the 1 % bad")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    args.rows = args.rows or (5_000 if args.quick else 1_000_000)
    if args.quick:
        print(f"# quick run: {args.rows:,} rows (a diagnostic: no RESULT lines, no thresholds)")
    with tempfile.TemporaryDirectory() as tmp:
        label = "clean" if args.clean else "bad-1pct"
        csv_path = Path(tmp) / f"{label}-{args.rows}.csv"
        generate(csv_path, args.rows, 0.0 if args.clean else 0.01, SEED + args.rows)
        package = write_package(Path(tmp), csv_path.name)
        subprocess.run([sys.executable, "-c", PROBE, str(package)], check=True,
                       cwd=Path(__file__).parent.parent)


if __name__ == "__main__":
    main()
