"""Whole runs (issue 21): the shipped defect-report package scaled to 1M and
10M rows, run through `run_pipeline` stage by stage, beside the raw read of
the same files and, on the smallest size, the naive stack a user would script.

Data: pipelines/samples/defect-reports scaled up (benchmarks/_scaled_reports.py:
the sample generator's hotspots, categories, free text with e-mail addresses
and phone numbers, names and e-mail, fixed seed), written twice: geometry as
lat/lon columns (as shipped) and as one WKT column.

Runs, each on both files, each into a fresh temporary home:
- grid: pipelines/defect-reports.yaml as shipped (drop name, e-mail and
  text; 100 m INSPIRE cells, minimum 3, merged up to 1 km and 10 km);
- k-anonymise: drop the same columns, round positions to 2 decimals
  (about 1 km), then k = 5 over reported_at (hour, day, month), category and
  status.

Each run, raw read and naive step runs in a fresh process, after its imports
and after reading its input file once untimed (every measurement finds the
file in the page cache alike). The raw read is timed on its second read of the
table, the first one untimed: first reads of the same 10M-row file took 6 to
30 s, and the fastest reference is the strict one. Stages are the `on_stage` boundaries of
`publisher.pipeline.run.run_pipeline` (spec, load, validate, check,
anonymise, recheck, stage, publish; publish runs to the end of the run,
journal included). Per stage: wall time, CPU time (getrusage of the process, all
threads, plus its children's, the check's scan processes included: figures before
2026-12-07's fourth session left those out and under-counted the check) and
peak RSS: the kernel's high-water mark of the process (VmHWM), reset at each
stage's start by writing 5 to /proc/self/clear_refs and read at its end, so
each stage shows its own peak; where the kernel refuses the reset, a thread
samples VmRSS every 5 ms instead (and says so).

The naive stack, on the smallest size's lat/lon file, as a user would script
it: frictionless validate of the package, Presidio's analyzer on the free
text (on the first --presidio-sample rows, extrapolated to all rows and
labelled so; pattern recognizers over a blank German spaCy pipeline, as no
spaCy model is installable here), and a geopandas 100 m grid (pandas read,
to_crs EPSG:3035, cell ids, counts, cells under 3 dropped).

RESULT lines: run_vs_raw_read_10m (the slowest run on the largest size over
the raw read of its file), run_peak_rss_mb_10m (the highest peak of any run
on the largest size), speedup_vs_naive_1m (the naive stack over the grid run
on the lat/lon file, smallest size).

    .venv/bin/python benchmarks/pipeline_run.py [--rows 1000000 10000000]
        [--presidio-sample 2000] [--pipelines grid-latlon ...] [--no-naive] [--quick]

--quick: one size of 3,000 rows (it stands for both), 200 Presidio rows.
--pipelines: only these runs (grid, k-anonymise: on both shapes; grid-latlon,
k-anonymise-wkt ...: on one); the raw read only of the shapes they use.
--no-naive: without the naive stack (speedup_vs_naive is then not measured).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _scaled_reports
import yaml
from _quick import QUICK_HELP, result

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ("latlon", "wkt")
KANON_STEPS: list[dict[str, Any]] = [
    {"type": "drop-columns", "resource": "reports",
     "columns": ["reporter_name", "reporter_email", "description"]},
    {"type": "reduce-precision", "resource": "reports", "decimals": 2},
    {"type": "k-anonymise", "resource": "reports", "k": 5, "quasi_identifiers": [
        {"column": "reported_at", "kind": "datetime", "levels": ["hour", "day", "month"]},
        {"column": "category"}, {"column": "status"}]},
]

# The measuring process: argv[1] the kind, argv[2] its arguments as JSON; prints
# one JSON line. Spans of the process are metered as the module docstring says.
CHILD = r'''
import json, resource, sys, threading, time
from pathlib import Path

kind, args = sys.argv[1], json.loads(sys.argv[2])


def status_mb(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu():
    """CPU seconds so far of this process, its children that ended and those still
    running (the check's scan processes live across stages)."""
    import psutil

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


class Meter:
    def __init__(self):
        self.spans, self.name, self.sampled = [], None, 0.0
        self.exact = self.reset()
        self.base_mb = status_mb("VmRSS")
        if not self.exact:
            threading.Thread(target=self.sample, daemon=True).start()

    def reset(self):
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            return True
        except OSError:
            return False

    def sample(self):
        while True:
            self.sampled = max(self.sampled, status_mb("VmRSS"))
            time.sleep(0.005)

    def start(self, name):
        self.stop()
        if self.exact:
            self.reset()
        self.sampled = status_mb("VmRSS")
        self.name, self.wall0, self.cpu0 = name, time.perf_counter(), cpu()

    def stop(self):
        if self.name is None:
            return
        wall, spent = time.perf_counter() - self.wall0, cpu() - self.cpu0
        peak = status_mb("VmHWM") if self.exact else max(self.sampled, status_mb("VmRSS"))
        self.spans.append({"name": self.name, "wall": wall, "cpu": spent, "peak_mb": peak})
        self.name = None


def warm(path):
    with open(path, "rb") as handle:
        while handle.read(1 << 24):
            pass


out = {}
if kind == "run":
    from publisher.pipeline.run import run_pipeline
    from publisher.settings import Settings
    settings = Settings(home=Path(args["home"]))
    warm(args["data"])
    meter = Meter()
    run = run_pipeline(args["pipeline"], settings, on_stage=meter.start)
    meter.stop()
    out = {"status": str(run.status), "message": run.message,
           "steps": [{"type": s["type"], "stats": s["stats"]} for s in run.steps]}
elif kind == "raw":
    import pyarrow.csv
    warm(args["data"])
    # The first read of a large file pays the allocator's first page faults (at 10M rows
    # 6-30 s for the same file): it is left untimed, so the reference is at its best.
    pyarrow.csv.read_csv(args["data"])
    meter = Meter()
    meter.start("read_csv")
    table = pyarrow.csv.read_csv(args["data"])
    meter.stop()
    out = {"rows": table.num_rows}
elif kind == "frictionless":
    import importlib, frictionless
    frictionless.system.plugins, frictionless.platform.jsonschema_validators
    importlib.import_module("slugify.slugify")  # what frictionless imports on first use
    warm(args["data"])
    meter = Meter()
    meter.start("validate")
    report = frictionless.validate(args["package"], limit_errors=10_000_000)
    meter.stop()
    out = {"valid": report.valid, "errors": sum(len(t.errors) for t in report.tasks)}
elif kind == "presidio":
    import logging
    import pyarrow.csv, spacy
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # no network: bundled list
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankGerman(SpacyNlpEngine):
        def __init__(self):
            super().__init__(models=[{"lang_code": "de", "model_name": "blank"}])
            self.nlp = {"de": spacy.blank("de")}

        def load(self):
            self.nlp = {"de": spacy.blank("de")}

    registry = RecognizerRegistry(supported_languages=["de"])
    registry.load_predefined_recognizers(languages=["de"])
    for recognizer in registry.recognizers:
        recognizer.supported_language = "de"
    engine = AnalyzerEngine(registry=registry, nlp_engine=BlankGerman(),
                            supported_languages=["de"])
    texts = pyarrow.csv.read_csv(args["data"])["description"][:args["sample"]].to_pylist()
    engine.analyze(text=texts[0], language="de")  # first-call setup, untimed
    meter = Meter()
    meter.start("analyze")
    found = sum(len(engine.analyze(text=text, language="de")) for text in texts)
    meter.stop()
    out = {"rows": len(texts), "found": found}
elif kind == "geopandas":
    import geopandas, numpy, pandas
    warm(args["data"])
    meter = Meter()
    meter.start("grid")
    frame = pandas.read_csv(args["data"])
    points = geopandas.GeoSeries(geopandas.points_from_xy(frame["lon"], frame["lat"]),
                                 crs="EPSG:4326").to_crs("EPSG:3035")
    east = (numpy.floor(points.x / 100) * 100).astype("int64").astype(str)
    north = (numpy.floor(points.y / 100) * 100).astype("int64").astype(str)
    cells = ("CRS3035RES100mN" + north + "E" + east).value_counts()
    cells = cells[cells >= 3]
    meter.stop()
    out = {"cells": int(len(cells))}
out.update(spans=meter.spans, exact=meter.exact, base_mb=meter.base_mb)
print(json.dumps(out))
'''


@dataclass
class Measured:
    label: str
    spans: list[dict[str, float]]
    exact: bool
    base_mb: float
    extra: dict[str, Any]

    @property
    def wall(self) -> float:
        return sum(s["wall"] for s in self.spans)

    @property
    def cpu(self) -> float:
        return sum(s["cpu"] for s in self.spans)

    @property
    def peak_mb(self) -> float:
        return max(s["peak_mb"] for s in self.spans)


class Broken(Exception):
    """A measurement that did not run through (the benchmark exits 1)."""


def measure(label: str, kind: str, cwd: Path, **args: Any) -> Measured:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", CHILD, kind, json.dumps(args, default=str)],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise Broken(f"{label}: the measuring process failed (exit {done.returncode}):\n"
                     f"{done.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    spans, exact, base = out.pop("spans"), out.pop("exact"), out.pop("base_mb")
    return Measured(label, spans, exact, base, out)


PIPELINES = ("grid", "k-anonymise")


def chosen_runs(names: list[str] | None) -> list[tuple[str, str]]:
    """The (pipeline, shape) runs --pipelines names, in the benchmark's order; all
    without names. A name is a pipeline (both shapes) or pipeline-shape."""
    runs = [(name, shape) for shape in SHAPES for name in PIPELINES]
    if not names:
        return runs
    known = {*PIPELINES, *(f"{name}-{shape}" for name, shape in runs)}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown pipeline(s) {', '.join(unknown)}; known: "
                         f"{', '.join(sorted(known))}")
    return [(name, shape) for name, shape in runs
            if name in names or f"{name}-{shape}" in names]


def write_pipelines(folder: Path) -> dict[tuple[str, str], Path]:
    """The grid pipeline as shipped and the k-anonymise one, on each shape."""
    shipped = yaml.safe_load((ROOT / "pipelines" / "defect-reports.yaml").read_text("utf-8"))
    files = {}
    for shape in SHAPES:
        grid = {**copy.deepcopy(shipped), "source": shape}
        kanon = {**copy.deepcopy(shipped), "source": shape, "name": "defect-reports-k5",
                 "steps": KANON_STEPS}
        kanon["dataset"] = {**kanon["dataset"], "name": "maengelmelder-musterstadt-k5",
                            "title": "Mängelmeldungen Musterstadt, 5-anonym (Benchmark)"}
        for name, spec in (("grid", grid), ("k-anonymise", kanon)):
            path = folder / f"{name}-{shape}.yaml"
            path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
            files[(name, shape)] = path
    return files


def show(m: Measured, raw: Measured | None = None) -> None:
    for i, span in enumerate(m.spans):
        label = m.label if i == 0 else ""
        print(f"{label:<24} {span['name']:<12} {span['wall']:>9.2f} {span['cpu']:>9.2f} "
              f"{span['peak_mb']:>10.0f}")
    if len(m.spans) > 1:
        print(f"{'':<24} {'whole run':<12} {m.wall:>9.2f} {m.cpu:>9.2f} {m.peak_mb:>10.0f}")
    if raw is not None:
        print(f"{'':<24} {'= x raw read':<12} {m.wall / raw.wall:>9.1f} {m.cpu / raw.cpu:>9.1f} "
              f"{m.peak_mb / raw.peak_mb:>10.1f}")


def outcome(m: Measured) -> str:
    for step in m.extra["steps"]:
        stats = step["stats"]
        if step["type"] == "grid-aggregate":
            return (f"{stats.get('cells_published', '?'):,} cells published, "
                    f"{stats.get('points_suppressed', '?'):,} points suppressed")
        if step["type"] == "k-anonymise":
            return (f"k reached {stats.get('k_reached')}, "
                    f"{stats.get('rows_suppressed', 0):,} rows suppressed, "
                    f"levels {stats.get('generalisation')}")
    return m.extra["message"]


def run_size(rows: int, root: Path, naive: bool, sample: int,
             chosen: list[tuple[str, str]]) -> dict[str, Any]:
    folder = root / f"rows-{rows}"
    folder.mkdir()
    started = time.perf_counter()
    files = _scaled_reports.write(folder, rows)
    sizes = ", ".join(f"{shape} {_scaled_reports.size_mb(path):,.0f} MB"
                      for shape, path in files.items())
    print(f"\n# {rows:,} rows: {sizes} (generated in {time.perf_counter() - started:.1f} s)",
          flush=True)
    print(f"{'measured':<24} {'stage':<12} {'wall s':>9} {'cpu s':>9} {'peak MB':>10}")
    pipelines = {run: path for run, path in write_pipelines(folder).items() if run in chosen}
    raws = {shape: measure(f"raw read {shape}", "raw", folder, data=files[shape])
            for shape in SHAPES if any(s == shape for _, s in chosen)}
    for raw in raws.values():
        show(raw)
    runs: dict[tuple[str, str], Measured] = {}
    for (name, shape), pipeline in pipelines.items():
        m = measure(f"{name} {shape}", "run", folder, pipeline=pipeline, data=files[shape],
                    home=folder / f"home-{name}-{shape}")
        if m.extra["status"] != "published":
            raise Broken(f"{name} on {shape}, {rows:,} rows: {m.extra['status']}: "
                         f"{m.extra['message']}")
        runs[(name, shape)] = m
        show(m, raws[shape])
        print(f"{'':<24} # {outcome(m)}", flush=True)
    figures: dict[str, Any] = {
        "rows": rows, "exact": all(m.exact for m in [*runs.values(), *raws.values()]),
        "base_mb": max(m.base_mb for m in runs.values()),
        "run_vs_raw": max(m.wall / raws[shape].wall for (_, shape), m in runs.items()),
        "run_vs_raw_cpu": max(m.cpu / raws[shape].cpu for (_, shape), m in runs.items()),
        "peak_mb": max(m.peak_mb for m in runs.values()),
        "grid_latlon": runs.get(("grid", "latlon"))}
    if naive:
        figures["naive"] = run_naive(folder, files["latlon"], rows, sample)
    for path in files.values():
        path.unlink()  # the next size needs the disk
    return figures


def run_naive(folder: Path, data: Path, rows: int, sample: int) -> tuple[float, float, str]:
    """The naive stack's wall and CPU seconds, and what they add up."""
    print(f"\n# the naive stack on the lat/lon file, {rows:,} rows")
    print(f"{'measured':<24} {'stage':<12} {'wall s':>9} {'cpu s':>9} {'peak MB':>10}")
    friction = measure("frictionless", "frictionless", folder, data=data,
                       package=data.parent / "datapackage.json")
    show(friction)
    print(f"{'':<24} # valid {friction.extra['valid']}, {friction.extra['errors']:,} errors")
    grid = measure("geopandas grid", "geopandas", folder, data=data)
    show(grid)
    print(f"{'':<24} # {grid.extra['cells']:,} cells of 3 or more")
    wall, cpu = friction.wall + grid.wall, friction.cpu + grid.cpu
    try:
        presidio = measure("presidio analyze", "presidio", folder, data=data, sample=sample)
    except Broken as exc:
        if "ModuleNotFoundError" not in str(exc):
            raise
        print("# Presidio is not installed (pip install -e '.[bench]'): the naive stack is "
              "counted without its text scan")
        return wall, cpu, "frictionless + geopandas (Presidio not installed)"
    show(presidio)
    share = rows / presidio.extra["rows"]
    print(f"{'':<24} # on the first {presidio.extra['rows']:,} rows; extrapolated to "
          f"{rows:,} rows: {presidio.wall * share:,.1f} s wall, {presidio.cpu * share:,.1f} s "
          "CPU (not measured: the sample's time x rows / sample)")
    return (wall + presidio.wall * share, cpu + presidio.cpu * share,
            "frictionless + geopandas + Presidio extrapolated")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=None,
                        help="sizes, smallest first (default 1,000,000 10,000,000); the "
                             "naive stack runs on the smallest")
    parser.add_argument("--presidio-sample", type=int, default=None,
                        help="rows Presidio analyzes (default 2,000)")
    parser.add_argument("--pipelines", nargs="+", default=None, metavar="NAME",
                        help="only these runs: grid, k-anonymise (both shapes), or one "
                             "shape of one, e.g. grid-latlon (default: all four)")
    parser.add_argument("--no-naive", action="store_true",
                        help="leave out the naive stack (speedup_vs_naive is not measured)")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    chosen = chosen_runs(args.pipelines)
    naive = not args.no_naive and ("grid", "latlon") in chosen
    sizes = sorted(args.rows or ([3_000] if args.quick else [1_000_000, 10_000_000]))
    sample = args.presidio_sample or (200 if args.quick else 2_000)
    figures = []
    with tempfile.TemporaryDirectory(prefix="publisher-bench-run-") as tmp:
        try:
            for rows in sizes:
                figures.append(run_size(rows, Path(tmp), naive and rows == sizes[0], sample,
                                        chosen))
        except Broken as exc:
            print(f"\nFAILED: {exc}")
            return 1
    small, large = figures[0], figures[-1]
    method = ("the kernel's high-water mark, reset at each stage" if all(f["exact"] for f in
              figures) else "sampled every 5 ms where the kernel refused the reset")
    print(f"\n# peak RSS: {method}; each process after its imports: about "
          f"{large['base_mb']:.0f} MB")
    speedup: float | None = None
    if "naive" in small:  # it needs the grid run on the lat/lon file
        naive_wall, naive_cpu, naive_note = small["naive"]
        grid = small["grid_latlon"]
        speedup = naive_wall / grid.wall
        print(f"# naive stack {naive_wall:,.1f} s ({naive_note}) vs the grid run "
              f"{grid.wall:,.1f} s on the lat/lon file, {small['rows']:,} rows: {speedup:.1f}x")
        print(f"# the same in CPU time (steadier on a busy machine): speedup_vs_naive "
              f"{naive_cpu / grid.cpu:.1f}")
    print(f"# run_vs_raw_read in CPU time: {large['run_vs_raw_cpu']:.1f}")
    runs = ", ".join(f"{name} {shape}" for name, shape in chosen)

    def at(f: dict[str, Any], name: int) -> str:
        return "" if f["rows"] == name else f"(measured on {f['rows']:,} rows)"

    only = "" if len(chosen) == len(PIPELINES) * len(SHAPES) else f"(only {runs})"
    result("run_vs_raw_read_10m", f"{large['run_vs_raw']:.1f}", "<= 10", args.quick,
           " ".join(filter(None, [at(large, 10_000_000), only])))
    result("run_peak_rss_mb_10m", f"{large['peak_mb']:.0f}", "<= 2048", args.quick,
           " ".join(filter(None, [at(large, 10_000_000), only])))
    if speedup is None:
        result("speedup_vs_naive_1m", "not-measured", ">= 50", args.quick,
               "(--no-naive, or no grid run on the lat/lon file)")
    else:
        result("speedup_vs_naive_1m", f"{speedup:.1f}", ">= 50", args.quick,
               at(small, 1_000_000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
