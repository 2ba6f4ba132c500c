"""Descriptor and Table Schema validation through frictionless.

CSV files are read by frictionless itself (its row numbers: header = 1, first
record = 2). GeoJSON and GeoPackage properties are handed to frictionless as
inline rows taken from resource.table(), and its row numbers are mapped back to
1-based feature numbers. All resources sit in one frictionless Package so that
foreign keys can look up their reference resources.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frictionless as fl
import numpy as np
import pandas as pd
from frictionless import FrictionlessException

from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.validate import linear
from publisher.validate.findings import RowMap, findings_from_errors
from publisher.validate.result import CheckResult, record_noun
from publisher.validate.setkeys import (
    KeyCells,
    check_foreign,
    check_keys,
    collector,
    foreign_groups,
    interleave,
    joined,
    key_fields,
    lookup_of,
    without_keys,
)

LIMIT_ERRORS = 100_000
CHECK = "table-schema"
STANDARD_PROFILES = ("data-package", "tabular-data-package",
                     "data-resource", "tabular-data-resource")
STANDARD_PROFILE_URLS = ("https://specs.frictionlessdata.io/", "https://datapackage.org/")


def _errors_of(exception: FrictionlessException) -> list[fl.Error]:
    return list(exception.reasons) if exception.reasons else [exception.error]


def validate_descriptor(package: Package) -> CheckResult:
    """The package descriptor against the Data Package profile.

    Resource schemas are validated per resource, so that a broken schema is
    reported once and under its resource's name; here each one stands in as an
    empty schema, which still tells the `tabular-data-resource` profile that the
    resource has one. Paths were made safe by the loader; frictionless is not
    told to trust anything.
    """
    descriptor = dict(package.descriptor)
    findings = _drop_profile(descriptor, None)
    resources = descriptor.get("resources")
    if isinstance(resources, list):
        descriptor["resources"] = [
            {k: ({"fields": []} if k == "schema" else v) for k, v in r.items()}
            if isinstance(r, dict) else r
            for r in resources
        ]
        for item in descriptor["resources"]:
            if isinstance(item, dict):
                findings += _drop_profile(item, str(item.get("name", "")))
    report = fl.Package.validate_descriptor(descriptor, basepath=str(package.root))
    findings += findings_from_errors(report.errors, resource=None)
    return CheckResult(findings=findings, stats={"errors": len(findings)})


def _drop_profile(descriptor: dict[str, Any], resource: str | None) -> list[Finding]:
    """Take a profile that frictionless would fetch or open (a URL, a file path, any
    name but the standard ones) out of `descriptor`; a finding unless it is the
    URL of a standard profile."""
    value = descriptor.get("profile")
    if value is None or value in STANDARD_PROFILES:
        return []
    del descriptor["profile"]
    if isinstance(value, str) and value.startswith(STANDARD_PROFILE_URLS):
        return []
    where = f"resource '{resource}'" if resource else "the package"
    return [Finding(
        type="profile-not-fetched", severity=Severity.ERROR, resource=resource, rule=CHECK,
        message=f"{where} names the custom profile {str(value)[:120]!r}; custom profiles "
                "are never fetched or opened, so the descriptor cannot be checked against it",
        hint="remove it, or use a standard profile such as 'tabular-data-package'")]


@dataclass
class _Prepared:
    """A frictionless resource ready to validate, or why there is none."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    resource: fl.Resource | None = None
    row_map: RowMap | None = None
    # What foreign keys into this resource look up: the resource itself, or for a
    # resource without a schema the same file with the types frictionless infers
    lookup: fl.Resource | None = None
    # a GeoParquet set's schema, its records to be validated where they lie
    # (SetValidator) rather than read here
    deferred: fl.Schema | None = None


@dataclass
class SetResult:
    """What validating a GeoParquet set's records elsewhere found: the header's
    findings, the records' errors in the order one frictionless pass lists them,
    the records read, and whether the error limit stopped it."""

    header: list[Finding]
    errors: list[Finding]
    rows: int
    stopped: bool
    # some records' key cells, for the key checks across the set (merge_pieces)
    keys: KeyCells | None = None


# Validates a GeoParquet set's records where they lie (a cluster's workers: the
# seam publisher.passes.Passes.validate_set), given the resource, its schema's
# descriptor and the error limit; None: validate them here.
SetValidator = Callable[[Resource, dict[str, Any], int], SetResult | None]


def _schema(resource: Resource, package: Package, drop: tuple[str, ...]) -> fl.Schema:
    raw = resource.descriptor.get("schema")
    if isinstance(raw, str):
        return fl.Schema.from_descriptor(raw, basepath=str(package.root))
    descriptor = dict(raw) if isinstance(raw, dict) else {}
    if drop:
        descriptor["fields"] = [f for f in descriptor.get("fields", [])
                                if not (isinstance(f, dict) and f.get("name") in drop)]
    return fl.Schema.from_descriptor(descriptor)


def _location(resource: Resource, package: Package) -> tuple[str, str]:
    """(path, basepath) with a relative path: frictionless refuses absolute ones."""
    assert resource.path is not None
    path = Path(resource.path)
    root = Path(package.root).resolve()
    try:
        return path.resolve().relative_to(root).as_posix(), str(root)
    except ValueError:
        return path.name, str(path.resolve().parent)


def _inline_rows(
    resource: Resource, schema: fl.Schema, table: pd.DataFrame | None = None
) -> tuple[list[list[Any]], RowMap, list[Finding]]:
    """Schema fields first and in schema order, then undeclared columns (which
    frictionless reports as extra labels); a declared field the data lack is
    reported here and filled with nulls. `table`: some of the records (one row
    group of a set) in place of the resource's."""
    table = resource.table() if table is None else table
    spec_columns = resource.geometry.columns if resource.geometry else ()
    columns = [c for c in table.columns
               if str(table[c].dtype) != "geometry" and c not in spec_columns]
    declared = list(schema.field_names)
    missing = [name for name in declared if name not in columns]
    # a declared field the data lack comes in as a column of nulls
    frame = pd.DataFrame(table[columns]).reindex(
        columns=declared + [c for c in columns if c not in declared])
    cells = frame.astype(object).where(frame.notna(), None)
    records = cells.to_numpy().tolist()
    listed = [i for i, c in enumerate(frame.columns) if frame[c].dtype == object]
    for record in records:  # GDAL reads a JSON array property as a numpy array
        for i in listed:
            if isinstance(record[i], np.ndarray):
                record[i] = record[i].tolist()
    rows: list[list[Any]] = [list(map(str, frame.columns)), *records]

    index = table.index.to_numpy()

    def row_map(row_number: int) -> int:
        position = row_number - 2
        return int(index[position]) if 0 <= position < len(index) else row_number

    findings = [
        Finding(type="missing-label", severity=Severity.ERROR, resource=resource.name,
                field=name,
                message=f"Missing Label in resource '{resource.name}', field '{name}': "
                        "the schema declares the field but the records do not have it")
        for name in missing
    ]
    return rows, row_map, findings


def _bad_patterns(resource: Resource) -> list[Finding]:
    """A finding per constraint pattern that is not a regular expression, or one
    RE2 cannot run in linear time (publisher.validate.linear): the validators
    would stop on it, or could hang."""
    findings = []
    for item in resource.schema.get("fields", []):
        pattern = (item.get("constraints") or {}).get("pattern") if isinstance(
            item.get("constraints"), dict) else None
        if pattern is None:
            continue
        why = linear.problem(pattern)
        if why is not None:
            name = str(item.get("name", ""))
            findings.append(Finding(
                type="schema-error", severity=Severity.ERROR, resource=resource.name,
                field=name, rule=CHECK,
                message=f"Schema Error in resource '{resource.name}', field '{name}': {why}"))
    return findings


def validate_piece(resource: Resource, schema: fl.Schema, table: pd.DataFrame, offset: int,
                   first: bool, limit: int) -> SetResult:
    """Some records of a resource (one row group of a set, the `offset`-th record
    first) validated as one frictionless pass over the whole resource validates
    them: rows numbered as there; the header's findings only when `first`. Unique
    fields and the primary key are checked across the pieces (merge_pieces): the
    piece hands back their cells (publisher.validate.setkeys)."""
    rows, row_map, findings = _inline_rows(resource, schema, table)
    count = len(rows) - 1
    record = record_noun(resource.format)

    def shifted(row_number: int) -> int:
        position = row_number - 2
        return offset + row_map(row_number) if 0 <= position < count else row_number

    keys = collector(schema, offset, shifted, resource.name, record)
    report = fl.Resource(data=rows, name=resource.name,
                         schema=schema if keys is None else without_keys(schema)).validate(
        limit_errors=limit, on_row=None if keys is None else keys[1])
    task = report.tasks[0] if report.tasks else None
    errors = task.errors if task else report.errors
    found = findings_from_errors(errors, resource=resource.name, record=record,
                                 row_map=shifted)
    warnings = list(task.warnings if task else report.warnings)
    return SetResult(findings if first else [],
                     found if first else [f for f in found if f.row is not None],
                     int(task.stats.get("rows") or 0) if task else 0,
                     any("error limit" in w for w in warnings),
                     None if keys is None else keys[0])


def merge_pieces(resource: Resource, schema: fl.Schema, parts: list[SetResult]) -> SetResult:
    """The pieces of a set validated apart (validate_piece), in set order, as one
    frictionless pass over the set: their errors in record order, the key errors
    across pieces placed after each record's cell errors."""
    errors: list[Finding] = []
    if any(part.keys is not None for part in parts):
        unique, primary = key_fields(schema)
        found = check_keys([part.keys or KeyCells() for part in parts], unique, bool(primary),
                           resource.name, record_noun(resource.format))
        for part, keyed in zip(parts, found, strict=True):
            errors.extend(interleave(part.errors, keyed))
    else:
        errors = [f for part in parts for f in part.errors]
    foreign = joined([part.keys for part in parts if part.keys is not None]) \
        if schema.foreign_keys else None
    return SetResult(parts[0].header, errors, sum(part.rows for part in parts),
                     any(part.stopped for part in parts), foreign)


def _looks_up_others(schema: fl.Schema, resource: Resource, package: Package) -> bool:
    """Whether every foreign key of the schema refers to another resource of the
    package that is not a set (whose keys the client gathers itself, setkeys.lookup_of);
    a set that refers to itself is validated by the client, which reads it whole."""
    others = {r.name for r in package.resources if r.dataset is None and r is not resource}
    return all(source in others for source, _, _ in foreign_groups(schema))


def _prepare(resource: Resource, package: Package, defer_sets: bool = False) -> _Prepared:
    out = _Prepared()
    out.findings = _bad_patterns(resource)
    if out.findings:
        out.notes.append(f"resource '{resource.name}': schema is not valid; "
                         "its records were not validated")
        return out
    has_schema = resource.descriptor.get("schema") is not None
    inline = resource.format != "csv" or resource.path is None
    if not has_schema:
        if inline:
            out.notes.append(f"resource '{resource.name}' declares no Table Schema; "
                             "its properties were not validated")
            return out
        out.notes.append(f"resource '{resource.name}' declares no Table Schema; "
                         "only the table structure was validated")
    drop = resource.geometry.columns if inline and resource.geometry else ()
    try:
        schema = _schema(resource, package, drop) if has_schema else None
        options: dict[str, Any] = {"name": resource.name, "schema": schema}
        if schema is None:
            options["detector"] = fl.Detector(field_type="string")
        if inline and schema is not None and defer_sets and resource.dataset is not None \
                and _looks_up_others(schema, resource, package):
            out.deferred = schema
        elif inline and schema is not None:
            rows, out.row_map, out.findings = _inline_rows(resource, schema)
            out.resource = fl.Resource(data=rows, **options)
        else:
            path, basepath = _location(resource, package)
            dialect = resource.descriptor.get("dialect")
            if isinstance(dialect, dict):
                options["dialect"] = fl.Dialect.from_descriptor(dialect)
            # UTF-8 unless declared (the loader checked that the whole file decodes)
            declared = resource.descriptor.get("encoding")
            options["encoding"] = declared if isinstance(declared, str) else "utf-8"
            out.resource = fl.Resource(path=path, basepath=basepath, format="csv", **options)
            if schema is None:
                del options["detector"]
                out.lookup = fl.Resource(path=path, basepath=basepath, format="csv", **options)
    except FrictionlessException as exception:
        out.findings.extend(findings_from_errors(_errors_of(exception), resource=resource.name))
        out.notes.append(f"resource '{resource.name}': schema or dialect is not valid; "
                         "its records were not validated")
    return out


def prepare_tables(package: Package, defer_sets: bool = False) -> dict[str, _Prepared]:
    """Each resource as a frictionless resource (or why not), in one package so
    that foreign keys can look up their reference resources. `defer_sets`: a
    GeoParquet set that no foreign key looks up, whose own foreign keys refer to other
    resources, is not read here (_Prepared.deferred)."""
    # a set another resource's foreign keys look up is read here, into the package
    referenced = {str(key.get("reference", {}).get("resource") or r.name)
                  for r in package.resources for key in r.schema.get("foreignKeys") or []
                  if isinstance(key, dict) and isinstance(key.get("reference"), dict)}
    prepared = {r.name: _prepare(r, package, defer_sets and r.name not in referenced)
                for r in package.resources}
    # A foreign key into a resource without a schema compares with the types
    # frictionless infers there, as frictionless does; the resource's own
    # records are still read as text (no type errors against a guessed schema).
    built = [p.lookup or p.resource for p in prepared.values() if p.resource is not None]
    # If frictionless refuses the package, foreign keys fail per resource and
    # are reported there.
    with contextlib.suppress(FrictionlessException):
        fl.Package(resources=built)
    return prepared


def validate_tables(package: Package, *, skip: Collection[str] = (),
                    prepared: dict[str, _Prepared] | None = None,
                    sets: SetValidator | None = None) -> dict[str, CheckResult]:
    """Table Schema validation by frictionless, keyed by resource name; the
    resources named in `skip` are left out (the engine validated them)."""
    prepared = prepare_tables(package, sets is not None) if prepared is None else prepared
    results: dict[str, CheckResult] = {}
    for resource in package.resources:
        if resource.name in skip:
            continue
        item = prepared[resource.name]
        result = CheckResult(findings=list(item.findings), notes=list(item.notes))
        results[resource.name] = result
        if item.deferred is not None:
            elsewhere = sets(resource, item.deferred.to_descriptor(), LIMIT_ERRORS) \
                if sets is not None else None
            looked_up = _built(prepared)
            if elsewhere is not None and item.deferred.foreign_keys:
                elsewhere = _with_foreign(resource, item.deferred, elsewhere, looked_up)
            if elsewhere is not None:
                _add_set(result, resource, elsewhere, len(item.deferred.fields))
                continue
            rows, item.row_map, found = _inline_rows(resource, item.deferred)
            result.findings.extend(found)
            item.resource = fl.Resource(data=rows, name=resource.name, schema=item.deferred)
            if item.deferred.foreign_keys:  # into the package its keys look up
                joint = next((r.package for r in looked_up.values() if r.package), None)
                if joint is not None:
                    joint.add_resource(item.resource)
        if item.resource is None:
            continue
        report = item.resource.validate(limit_errors=LIMIT_ERRORS)
        task = report.tasks[0] if report.tasks else None
        errors = task.errors if task else report.errors
        record = record_noun(resource.format)
        kwargs: dict[str, Any] = {"row_map": item.row_map} if item.row_map else {}
        result.findings.extend(
            findings_from_errors(errors, resource=resource.name, record=record, **kwargs))
        result.stats = {"checks": [CHECK], "rows": (task.stats.get("rows") if task else None),
                        "errors": len(errors), "fields": len(item.resource.schema.fields)}
        warnings = list(task.warnings if task else report.warnings)
        if any("error limit" in w for w in warnings):
            result.notes.append(f"resource '{resource.name}': stopped after {LIMIT_ERRORS} "
                                "schema errors; later records were not validated")
    return results


def _built(prepared: dict[str, _Prepared]) -> dict[str, fl.Resource]:
    """The frictionless resources of the package that foreign keys look up."""
    out: dict[str, fl.Resource] = {}
    for name, item in prepared.items():
        built = item.lookup or item.resource
        if built is not None:
            out[name] = built
    return out


def _with_foreign(resource: Resource, schema: fl.Schema, done: SetResult,
                  resources: dict[str, fl.Resource]) -> SetResult | None:
    """The set's records validated elsewhere with their foreign key errors added,
    each after its record's other errors; None when a referenced resource cannot be
    read (the client then validates the set, and frictionless says why)."""
    groups = foreign_groups(schema)
    if any(source not in resources for source, _, _ in groups):
        return None
    try:
        lookup = lookup_of(groups, resources)
    except FrictionlessException:
        return None
    found = check_foreign(done.keys or KeyCells(), groups, lookup, resource.name,
                          record_noun(resource.format))
    return SetResult(done.header, interleave(done.errors, found), done.rows, done.stopped)


def _add_set(result: CheckResult, resource: Resource, done: SetResult, fields: int) -> None:
    listed = done.errors[:LIMIT_ERRORS]
    result.findings.extend([*done.header, *listed])
    # one pass stops at the record of its LIMIT_ERRORS-th error, having read as many
    # records as that feature's number
    stopped = done.stopped or len(done.errors) >= LIMIT_ERRORS
    last = listed[-1].row if stopped and listed else None
    result.stats = {"checks": [CHECK], "rows": done.rows if last is None else last,
                    "errors": len(listed), "fields": fields}
    if stopped:
        result.notes.append(f"resource '{resource.name}': stopped after {LIMIT_ERRORS} "
                            "schema errors; later records were not validated")
