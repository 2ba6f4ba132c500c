"""Whole runs on a local Dask cluster (2 workers) against one process (issue 22).

The pipelines of benchmarks/pipeline_run.py (the shipped grid pipeline and a
k-anonymise pipeline), and one of row-wise steps only (redact-text,
truncate-datetime, reduce-precision: one pass over the records, which the
workers make range by range, publisher.cluster.rows), on the defect-report
package scaled up
(benchmarks/_scaled_reports.py, geometry as lat/lon), each run twice through
`run_pipeline`: in this process, and with the cluster set (Settings.cluster),
where the workers check the CSV records, scan for identifiers and make the
counts. A real cluster is started with deploy/local/cluster (a scheduler and
two single-threaded workers on 127.0.0.1, on a free port, state in a temporary
directory) and stopped again.

Both runs of a pipeline must publish the same bytes (the audit page's run id and
times set aside), report the same findings (validate, check and re-check:
rule, resource, field, row, message) and the same step figures; the row-wise
passes must have run on the workers. Prints each stage's wall time side by
side, and RESULT lines. On this 2-core machine the client, the scheduler and
both workers share the cores, so the gain is small or a loss: it is printed as
it is. Before the timed runs, both ways run once on the shipped sample, so that
this process and the workers have loaded the name lists.

    .venv/bin/python benchmarks/cluster_run.py [--rows N] [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _scaled_reports
import yaml
from _local_cluster import local_cluster
from _quick import QUICK_HELP, result
from pipeline_run import write_pipelines

from publisher.cluster import rows as cluster_rows
from publisher.pipeline.run import RunResult, Status, run_pipeline
from publisher.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)")
REPORTS = ("validate", "check", "recheck")
ROW_WISE_STEPS: list[dict[str, Any]] = [
    {"type": "drop-columns", "resource": "reports", "columns": ["reporter_name",
                                                                "reporter_email"]},
    {"type": "redact-text", "resource": "reports", "columns": ["description"]},
    {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
     "unit": "day"},
    {"type": "reduce-precision", "resource": "reports", "decimals": 2},
]


def write_row_wise(folder: Path, source: str) -> Path:
    """The shipped grid pipeline with row-wise steps only, on SOURCE."""
    spec = yaml.safe_load((ROOT / "pipelines" / "defect-reports.yaml").read_text("utf-8"))
    spec.update(source=source, name="defect-reports-rows", steps=ROW_WISE_STEPS)
    spec["dataset"] = {**spec["dataset"], "name": "maengelmelder-musterstadt-zeilen",
                       "title": "Mängelmeldungen Musterstadt, zeilenweise (Benchmark)"}
    path = folder / "row-wise-latlon.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def counted_passes() -> list[bool]:
    """Whether each row-wise pass offered to the cluster ran on its workers."""
    calls: list[bool] = []
    rewrite = cluster_rows.rewrite_ranges_on

    def recorded(*args: Any, **kwargs: Any) -> list[str] | None:
        written = rewrite(*args, **kwargs)
        calls.append(written is not None)
        return written

    cluster_rows.rewrite_ranges_on = recorded  # type: ignore[assignment]
    return calls


@dataclass
class Timed:
    result: RunResult
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.stages.values())


def run(pipeline: Path, home: Path, cluster: str | None) -> Timed:
    marks: list[tuple[str, float]] = []
    done = run_pipeline(pipeline, Settings(home=home, cluster=cluster),
                        on_stage=lambda stage: marks.append((stage, time.perf_counter())))
    marks.append(("end", time.perf_counter()))
    if done.status is not Status.PUBLISHED:
        sys.exit(f"{pipeline.name} ({'cluster' if cluster else 'one process'}): "
                 f"{done.status}: {done.message}")
    timed = Timed(done)
    for (stage, start), (_, stop) in itertools.pairwise(marks):
        timed.stages[stage] = timed.stages.get(stage, 0.0) + stop - start
    return timed


def published(done: RunResult) -> dict[str, bytes]:
    assert done.publish is not None
    files: dict[str, bytes] = {}
    for name in done.publish.files:
        data = Path(name).read_bytes()
        if name.endswith(".html"):
            data = STAMP.sub("TIME", data.decode("utf-8").replace(done.run_id, "RUN")).encode()
        files[Path(name).name] = data
    return files


def findings(done: RunResult) -> list[tuple[Any, ...]]:
    return [(stage, f.rule, f.resource, f.field, f.row, f.message)
            for stage in REPORTS for f in done.reports[stage].findings]


def same(one: RunResult, spread: RunResult) -> bool:
    return (published(one) == published(spread) and findings(one) == findings(spread)
            and one.steps == spread.steps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    rows = 3_000 if args.quick else args.rows
    with tempfile.TemporaryDirectory(prefix="bench-cluster-run-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = _scaled_reports.write(folder / "data", rows)
        pipelines = {name: path for (name, shape), path in write_pipelines(folder / "data").items()
                     if shape == "latlon"}
        pipelines["row-wise"] = write_row_wise(folder / "data", "latlon")
        passes = counted_passes()
        with local_cluster(folder / "stack") as address:
            print(f"{rows:,} defect reports, {_scaled_reports.size_mb(files['latlon']):,.1f} MB "
                  f"CSV (generated in {time.perf_counter() - started:.1f} s); cluster {address}, "
                  "2 workers x 1 thread", flush=True)
            shipped = ROOT / "pipelines" / "defect-reports.yaml"
            for way in (None, address):  # warm-up: name lists loaded here and on the workers
                run(shipped, folder / f"warm-{'cluster' if way else 'one'}", way)
            outcomes = {}
            passes.clear()
            for name, path in pipelines.items():
                one = run(path, folder / f"one-{name}", None)
                spread = run(path, folder / f"cluster-{name}", address)
                outcomes[name] = (one, spread, same(one.result, spread.result))
    stages = list(dict.fromkeys(s for one, _, _ in outcomes.values() for s in one.stages))
    print(f"\n{'pipeline':<14} {'stage':<12} {'one process s':>14} {'2 workers s':>12}")
    identical_all = True
    for name, (one, spread, identical) in outcomes.items():
        for stage in stages:
            print(f"{name:<14} {stage:<12} {one.stages.get(stage, 0):>14.2f} "
                  f"{spread.stages.get(stage, 0):>12.2f}")
        identical_all = identical_all and identical
        print(f"{name:<14} {'whole run':<12} {one.total:>14.2f} {spread.total:>12.2f}   "
              f"{one.total / spread.total:.2f}x; same bytes, findings and figures: {identical}")
    print(f"row-wise passes on the workers: {sum(passes)} of {len(passes)}")
    identical_all = identical_all and bool(passes) and all(passes)
    one_total = sum(o.total for o, _, _ in outcomes.values())
    spread_total = sum(s.total for _, s, _ in outcomes.values())
    result("cluster_run_identical", "yes" if identical_all else "no", "yes", args.quick,
           f"({rows:,} rows, {len(outcomes)} pipelines)")
    result("cluster_run_speedup_2_workers", f"{one_total / spread_total:.2f}", "-", args.quick,
           f"({rows:,} rows; 2 cores shared by client, scheduler and workers: printed as it is)")
    return 0 if identical_all else 1


if __name__ == "__main__":
    sys.exit(main())
