"""Columnar engine vs frictionless vs a raw Arrow read, on 1M and 10M-row CSVs.

Generates sensor-style CSVs (8 columns, fixed seed) into a temp dir, clean and
with about 1 % bad rows, then measures each validator in its own subprocess
(wall time, CPU time, rows/s, peak RSS, errors found). On the 1M-row files the
raw read and the engine, which take a fraction of a second, run --repeat times
(5) each, taking turns, each in a fresh process, and the median run is shown:
one run of either swings by tens of milliseconds with what else the machine
does. frictionless gets
an error limit above the number of bad cells, or a bad file would look faster
than it is. frictionless on 10M rows takes many minutes and is left out
unless --with-frictionless-10m is given. Each timing starts once the modules
are imported, for every validator alike, including the modules frictionless
imports on first use (its plugins, jsonschema, slugify): neither side pays
for imports inside the timing. Each process also reads the CSV file once
before its timing starts, so that every validator finds it in the page cache:
on this machine the cache is reclaimed within seconds, and a run would
otherwise time the disk as well, more so for whichever ran first.

    .venv/bin/python benchmarks/validate.py [--rows-small 1000000] [--rows-large 10000000]
                                            [--quick]

--quick: one size, 5,000 rows, for both (one run of each validator per file).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _quick import QUICK_HELP, result

SEED = 20240601
SCHEMA = {"fields": [
    {"name": "id", "type": "integer", "constraints": {"required": True}},
    {"name": "sensor", "type": "string", "constraints": {"pattern": "S[0-9]{3}"}},
    {"name": "ts", "type": "datetime"},
    {"name": "day", "type": "date"},
    {"name": "value", "type": "number", "constraints": {"minimum": -50, "maximum": 150}},
    {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "ok", "type": "boolean"},
    {"name": "district", "type": "string", "constraints": {"enum": ["Nord", "Süd", "Ost", "West"]}},
], "primaryKey": ["id"]}
CHUNK = 1_000_000


def generate(path: Path, rows: int, bad_share: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    districts = np.array(["Nord", "Süd", "Ost", "West"])
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(f["name"] for f in SCHEMA["fields"]) + "\n")
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            ids = np.arange(start + 1, start + n + 1)
            seconds = rng.integers(0, 365 * 86400, n)
            stamp = np.datetime64("2024-01-01T00:00:00") + seconds.astype("timedelta64[s]")
            ts = np.datetime_as_string(stamp, unit="s")
            day = np.datetime_as_string(stamp.astype("datetime64[D]"))
            sensors = np.char.zfill(rng.integers(0, 1000, n).astype(str), 3)
            cols = [ids.astype(str), np.char.add("S", sensors),
                    ts, day, np.round(rng.normal(20, 10, n), 2).astype(str),
                    rng.integers(0, 500, n).astype(str),
                    np.where(rng.random(n) < 0.5, "true", "false"),
                    districts[rng.integers(0, 4, n)]]
            cols = [c.astype(object) for c in cols]
            if bad_share:
                bad = np.flatnonzero(rng.random(n) < bad_share)
                column = rng.integers(0, len(cols), len(bad))
                junk = np.array(["x", "2023-02-29", "-999", "", "n/a"], dtype=object)
                for col in range(len(cols)):
                    rows_here = bad[column == col]
                    cols[col][rows_here] = junk[rng.integers(0, len(junk), len(rows_here))]
            lines = cols[0]
            for col in cols[1:]:
                lines = lines + "," + col
            out.write("\n".join(lines.tolist()) + "\n")


def write_package(root: Path, csv_name: str) -> Path:
    descriptor = {"name": "bench", "resources": [
        {"name": "messwerte", "path": csv_name, "format": "csv", "encoding": "utf-8",
         "schema": SCHEMA}]}
    target = root / f"{Path(csv_name).stem}.datapackage.json"
    target.write_text(json.dumps(descriptor), encoding="utf-8")
    return target


# What frictionless imports on first use (plugins, jsonschema, slugify): import
# work, done in every measuring process for every validator alike, before timing.
WARM_IMPORTS = r'''
import importlib, frictionless
frictionless.system.plugins, frictionless.platform.jsonschema_validators
importlib.import_module("slugify.slugify")
'''

MEASURE = r'''
import json, resource, sys, time
kind, path, data = sys.argv[1], sys.argv[2], sys.argv[3]
# the CSV file read once, untimed, for every validator alike: this machine's
# page cache is reclaimed within seconds, and whichever run came first would
# also time the disk
with open(data, "rb") as handle:
    while handle.read(1 << 24):
        pass
import frictionless, pyarrow.csv
from publisher.package.loader import load_package
from publisher.validate import validate_package
''' + WARM_IMPORTS + r'''
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu_start = usage.ru_utime + usage.ru_stime
start = time.perf_counter()
if kind == "raw":
    table = pyarrow.csv.read_csv(path)
    rows, errors = table.num_rows, 0
elif kind == "frictionless":
    report = frictionless.validate(path, limit_errors=10_000_000)
    task = report.tasks[0]
    rows, errors = task.stats.get("rows"), len(task.errors)
else:
    report = validate_package(load_package(path))
    stats = report.stats["resources"]["messwerte"]
    assert stats.get("engine") == "arrow", report.notes
    rows, errors = stats["rows"], stats["errors"]
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu_start
# VmHWM belongs to this process image; ru_maxrss would carry the parent's
# peak over fork + exec on Linux.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
print(json.dumps({"wall": wall, "cpu": cpu, "rows": rows, "errors": errors, "peak_mb": peak}))
'''


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median wall time."""
    return sorted(runs, key=lambda m: m["wall"])[len(runs) // 2]


def measure_raw_and_engine(csv_path: Path, package: Path,
                           repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median runs of the raw read and of the engine, taking turns, so that a
    spell of load on the machine falls on both alike."""
    raws, engines = [], []
    for _ in range(repeat):
        raws.append(measure_once("raw", csv_path))
        engines.append(measure_once("engine", package))
    return median(raws), median(engines)


def measure_once(kind: str, path: Path) -> dict[str, float]:
    data = path if path.suffix == ".csv" else path.with_name(
        path.name.removesuffix(".datapackage.json") + ".csv")
    done = subprocess.run([sys.executable, "-c", MEASURE, kind, str(path), str(data)],
                          check=False,
                          capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if done.returncode:
        raise SystemExit(f"{kind} on {path.name} failed:\n{done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def row(label: str, kind: str, m: dict[str, float] | None) -> str:
    if m is None:
        return f"{label:<22} {kind:<13} {'skipped':>10}"
    rate = m["rows"] / m["wall"] if m["wall"] else 0.0
    return (f"{label:<22} {kind:<13} {m['wall']:>9.2f}s {m['cpu']:>7.2f}s {rate:>12,.0f} "
            f"{m['peak_mb']:>9.0f} {int(m['errors']):>10,}")


def ratios(name: str, ours: dict[str, float] | None, theirs: dict[str, float] | None,
           raw: dict[str, float] | None) -> str:
    if ours is None:
        return f"# {name}: engine not run"
    parts = []
    if theirs is not None:
        parts.append(f"{theirs['wall'] / ours['wall']:.1f}x faster than frictionless")
    if raw is not None:
        parts.append(f"{ours['wall'] / raw['wall']:.2f}x the raw read")
    if theirs is not None:
        same = theirs["errors"] == ours["errors"]
        parts.append("the same error count" if same else "a different error count")
    return f"# {name}: engine " + ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows-small", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--rows-large", type=int, default=None, help="default 10,000,000")
    parser.add_argument("--with-frictionless-10m", action="store_true",
                        help="also run frictionless on the large files (many minutes)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of the raw read and the engine per 1M-row file, each in "
                             "a fresh process; the median is shown (frictionless runs once); "
                             "default 5")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    args.rows_small = args.rows_small or (5_000 if args.quick else 1_000_000)
    args.rows_large = args.rows_large or (5_000 if args.quick else 10_000_000)
    args.repeat = args.repeat or (1 if args.quick else 5)
    results: dict[tuple[int, str, str], dict[str, float] | None] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{'file':<22} {'validator':<13} {'wall':>10} {'cpu':>8} {'rows/s':>12} "
              f"{'peak MB':>9} {'errors':>10}")
        for rows in sorted({args.rows_small, args.rows_large}):
            for label, share in (("clean", 0.0), ("bad-1pct", 0.01)):
                csv_path = root / f"{label}-{rows}.csv"
                started = time.perf_counter()
                generate(csv_path, rows, share, SEED + rows)
                print(f"# generated {csv_path.name} ({csv_path.stat().st_size / 1e6:.0f} MB) "
                      f"in {time.perf_counter() - started:.1f}s", flush=True)
                package = write_package(root, csv_path.name)
                name = f"{label} {rows:,}"
                repeat = args.repeat if rows == args.rows_small else 1
                raw_m, engine_m = measure_raw_and_engine(csv_path, package, repeat)
                skip = rows != args.rows_small and not args.with_frictionless_10m
                measured = {"raw": raw_m, "engine": engine_m,
                            "frictionless": None if skip else measure_once("frictionless",
                                                                          package)}
                for kind, m in measured.items():
                    results[(rows, label, kind)] = m
                    print(row(name, kind, m), flush=True)
                theirs = results[(rows, label, "frictionless")]
                ours = results[(rows, label, "engine")]
                raw = results[(rows, label, "raw")]
                print(ratios(name, ours, theirs, raw), flush=True)
                if theirs is not None and ours is not None and theirs["errors"] != ours["errors"]:
                    print(f"# {name}: the engine counts {int(ours['errors']):,} errors, "
                          f"frictionless {int(theirs['errors']):,}", flush=True)
                csv_path.unlink()
        if args.rows_large != args.rows_small and not args.with_frictionless_10m:
            print(f"# frictionless skipped on {args.rows_large:,} rows "
                  "(pass --with-frictionless-10m to run it)")
    small = args.rows_small

    def ratio(a: str, b: str, what: str = "wall") -> float:
        values = [results[(small, label, a)][what] / results[(small, label, b)][what]  # type: ignore[index]
                  for label in ("clean", "bad-1pct")]
        return min(values) if a == "frictionless" else max(values)

    speedup = ratio("frictionless", "engine")
    slowdown = ratio("engine", "raw")
    # On a shared machine wall time swings with other load; CPU time less so.
    print(f"# same ratios in CPU time: speedup {ratio('frictionless', 'engine', 'cpu'):.1f}, "
          f"slowdown {ratio('engine', 'raw', 'cpu'):.2f}")
    peak = max(results[(args.rows_large, label, "engine")]["peak_mb"]  # type: ignore[index]
               for label in ("clean", "bad-1pct"))
    result("speedup_vs_frictionless_1m", f"{speedup:.1f}", ">= 50", args.quick)
    result("slowdown_vs_raw_read_1m", f"{slowdown:.2f}", "<= 2", args.quick)
    result("peak_rss_mb_10m", f"{peak:.0f}", "< 1000", args.quick)


if __name__ == "__main__":
    main()
