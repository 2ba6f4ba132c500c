"""Table Schema and geometry validation of a loaded package.

validate_package runs, in order: the descriptor against the Data Package
profile, each resource against its Table Schema, each resource against the
`bytes`, `hash`, `fields` and `rows` it declares, and the geometry checks of
each spatial resource (a CSV file's on the engine's pass over it, where it
can). CSV resources go through the columnar engine
(publisher.validate.engine) by default; whatever it does not support, and
every other format, is validated by frictionless, and Report.notes says so
per resource. Problems in the data are findings
in the Report; only a file that cannot be read at all raises (InputError from
Resource.table(), exit code 2).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from publisher.package.model import Package, Resource
from publisher.package.readers import input_format
from publisher.progress import NO_PROGRESS, Progress
from publisher.report import Report
from publisher.validate import linear
from publisher.validate.engine import Plan, RangeChecker, Tap, validate_csv_tables
from publisher.validate.filestats import check_counts, check_file_stats
from publisher.validate.geometry import (
    GERMANY_AUSTRIA,
    MAX_FINDINGS,
    Extent,
    GeometryTap,
    Tapped,
    check_geometry,
)
from publisher.validate.placeholders import check_placeholders
from publisher.validate.result import CheckResult
from publisher.validate.rows import name_ragged_rows
from publisher.validate.schema import (
    LIMIT_ERRORS,
    SetValidator,
    prepare_tables,
    validate_descriptor,
    validate_tables,
)

__all__ = ["GERMANY_AUSTRIA", "Extent", "validate_package"]


linear.install()  # frictionless runs `pattern` constraints on RE2, never backtracking

def _is_spatial(resource: Resource) -> bool:
    fmt = input_format(resource.format)
    return resource.is_spatial or (fmt is not None and fmt.native_geometry)


def _merge(report: Report, entry: dict[str, Any], result: CheckResult) -> None:
    report.extend(result.findings)
    report.notes.extend(result.notes)
    entry["checks"].extend(result.stats.get("checks", []))
    for key in ("rows", "features"):
        if result.stats.get(key) is not None:
            entry[key] = result.stats[key]


class _Taps:
    """The geometry checks of spatial CSV resources, on the engine's pass."""

    def __init__(self, package: Package, extent: Extent):
        self.resources = {r.name: r for r in package.resources if _is_spatial(r)}
        self.extent = extent
        self.made: dict[str, GeometryTap] = {}

    def maker(self, name: str) -> Any:
        def make(plan: Plan) -> Tap | None:
            tap = GeometryTap.of(self.resources[name], self.extent, plan.labels,
                                 plan.delimiter, plan.quote_char, plan.double_quote,
                                 plan.encoding)
            if tap is None:
                return None
            self.made[name] = tap
            return tap.block

        return make


def _engine_tables(package: Package, report: Report, progress: Progress, taps: _Taps,
                   ranges: RangeChecker | None, defer_sets: bool
                   ) -> tuple[dict[str, CheckResult], Any, dict[str, Tapped]]:
    """Engine results for the CSV resources it supports; notes for the others;
    the geometry checks it ran."""
    prepared = prepare_tables(package, defer_sets)
    tables = {r.name: prepared[r.name].resource for r in package.resources
              if r.format == "csv" and r.path is not None and r.descriptor.get("schema")
              and prepared[r.name].resource is not None}
    run = validate_csv_tables({k: v for k, v in tables.items() if v is not None}, LIMIT_ERRORS,
                              progress, {name: taps.maker(name) for name in taps.resources},
                              ranges)
    tapped = {name: Tapped(taps.made[name].crs, summaries)
              for name, summaries in run.tapped.items() if name in taps.made}
    results = dict(run.results)
    for name in results:
        item = prepared[name]
        results[name].findings[:0] = item.findings
        results[name].notes[:0] = item.notes
    for resource in package.resources:
        item = prepared[resource.name]
        if resource.name in results or (item.resource is None and item.deferred is None):
            continue
        reason = run.fallback.get(resource.name) or (
            "not a CSV file with a Table Schema" if resource.format == "csv"
            else f"{resource.format} is not read by the engine")
        report.notes.append(f"resource '{resource.name}': validated by frictionless, "
                            f"not the columnar engine ({reason})")
    return results, prepared, tapped


def validate_package(package: Package, *, extent: Extent | None = None,
                     engine: bool = True, progress: Progress = NO_PROGRESS,
                     ranges: RangeChecker | None = None,
                     sets: SetValidator | None = None) -> Report:
    """Validate descriptor, Table Schemas and geometry; errors are findings.

    engine=False validates every table with frictionless (the reference). The
    engine reports the bytes it has read to `progress`, and hands the checks of
    a CSV file's records to `ranges` (publisher.passes.Passes.validate_ranges:
    a cluster's workers) when it takes them, and a GeoParquet set's records to
    `sets` (publisher.passes.Passes.validate_set)."""
    extent = extent or GERMANY_AUSTRIA
    report = Report(stage="validate")
    descriptor = validate_descriptor(package)
    report.extend(descriptor.findings)
    report.extend(check_placeholders(package).findings)
    checks = ["descriptor", "placeholders"]
    resources: dict[str, dict[str, Any]] = {
        r.name: {"format": r.format, "checks": []} for r in package.resources
    }
    counted: dict[str, Counter[str]] = {r.name: Counter() for r in package.resources}

    tables: dict[str, CheckResult] = {}
    prepared = None
    tapped: dict[str, Tapped] = {}
    if engine:
        tables, prepared, tapped = _engine_tables(package, report, progress,
                                                  _Taps(package, extent), ranges,
                                                  sets is not None)
    if len(tables) < len(package.resources):
        progress.start("validate with frictionless", None, "rows")
    tables.update(validate_tables(package, skip=set(tables), prepared=prepared, sets=sets))
    for resource in package.resources:
        result = tables[resource.name]
        name_ragged_rows(result.findings, resource)
        _merge(report, resources[resource.name], result)
        counted[resource.name].update(f.type for f in result.findings)
        if "engine" in result.stats:
            resources[resource.name]["engine"] = result.stats["engine"]
            resources[resource.name]["errors"] = result.stats["errors"]

    for resource in package.resources:
        # counts compare with what frictionless would count: CSV records and fields
        stats = tables[resource.name].stats if resource.format == "csv" else {}
        for result in (check_file_stats(resource),
                       check_counts(resource, stats.get("rows"), stats.get("fields"))):
            _merge(report, resources[resource.name], result)
            counted[resource.name].update(f.type for f in result.findings)

    for resource in package.resources:
        if not _is_spatial(resource):
            continue
        progress.start(f"{resource.name}: geometry", None, "rows")
        result = check_geometry(resource, extent, tapped.get(resource.name))
        _merge(report, resources[resource.name], result)
        counted[resource.name].update(
            {k: v for k, v in result.stats.get("geometry", {}).items() if v})

    for name, entry in resources.items():
        entry["findings"] = dict(sorted(counted[name].items()))
        for check in entry["checks"]:
            if check not in checks:
                checks.append(check)
    report.stats = {
        "checks": checks,
        "descriptor": descriptor.stats,
        "resources": resources,
        "extent": {"min_lon": extent.min_lon, "min_lat": extent.min_lat,
                   "max_lon": extent.max_lon, "max_lat": extent.max_lat},
        "limits": {"schema_errors": LIMIT_ERRORS, "findings_per_check": MAX_FINDINGS},
    }
    return report
