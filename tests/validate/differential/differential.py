"""Run the engine and frictionless.validate on the same package and compare.

A case is one or more CSV resources (bytes + descriptor) written to a temp
dir with a datapackage.json. The comparison is the verdict and the set of
(resource, row, field, error type); anything listed in DELIBERATE.md as a
deliberate difference is passed to `allow` by the test that meets it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frictionless

from publisher.package.model import Package, Resource
from publisher.validate import validate_package

Key = tuple[str | None, int | None, str | None, str]


@dataclass
class Table:
    name: str
    data: bytes
    schema: dict[str, Any]
    dialect: dict[str, Any] | None = None
    encoding: str | None = None

    def descriptor(self) -> dict[str, Any]:
        item: dict[str, Any] = {"name": self.name, "path": f"{self.name}.csv", "format": "csv",
                                "schema": self.schema}
        if self.dialect:
            item["dialect"] = self.dialect
        if self.encoding:
            item["encoding"] = self.encoding
        return item


@dataclass
class Outcome:
    ours: set[Key]
    theirs: set[Key]
    ours_valid: bool
    theirs_valid: bool
    engine: dict[str, str] = field(default_factory=dict)  # resource -> "arrow" or absent
    notes: list[str] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return self.ours == self.theirs and self.ours_valid == self.theirs_valid


def run_case(root: Path, tables: list[Table]) -> Outcome:
    root.mkdir(parents=True, exist_ok=True)
    descriptor = {"name": "case", "resources": [t.descriptor() for t in tables]}
    for table in tables:
        (root / f"{table.name}.csv").write_bytes(table.data)
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    reference = frictionless.validate(str(root / "datapackage.json"), limit_errors=1_000_000)
    theirs = {(task.name, getattr(e, "row_number", None), getattr(e, "field_name", None) or None,
               str(e.type)) for task in reference.tasks for e in task.errors}
    resources = [Resource(t.name, "csv", t.descriptor(), path=root / f"{t.name}.csv")
                 for t in tables]
    package = Package(root=root, descriptor=descriptor, source=str(root / "datapackage.json"),
                      resources=resources)
    report = validate_package(package)
    ours = {(f.resource, f.row, f.field, f.type) for f in report.findings}
    engine = {name: str(stats.get("engine")) for name, stats in
              report.stats["resources"].items() if stats.get("engine")}
    return Outcome(ours=ours, theirs=theirs, ours_valid=report.valid,
                   theirs_valid=bool(reference.valid), engine=engine, notes=report.notes)


def explain(outcome: Outcome) -> str:
    return (f"only engine: {sorted(outcome.ours - outcome.theirs, key=str)}\n"
            f"only frictionless: {sorted(outcome.theirs - outcome.ours, key=str)}\n"
            f"notes: {outcome.notes}")
