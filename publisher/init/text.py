"""The plain-text summary of `publisher init`, for the CLI."""

from __future__ import annotations

from collections import Counter

from publisher.init import DESCRIPTOR, PIPELINE, InitResult
from publisher.init.describe import Described


def _resource_line(d: Described) -> str:
    info = d.to_dict()
    parts = [f"{info['format']}", f"{d.rows} rows", f"{info['fields']} fields"]
    if info["encoding"] and info["format"] in ("csv", "shp"):
        parts.insert(1, f"encoding {info['encoding']}")
    dialect = info["dialect"] or {}
    if dialect.get("delimiter"):
        parts.insert(2, f"delimiter {dialect['delimiter']!r}")
    if dialect.get("sheetName"):
        parts.insert(1, f"sheet {dialect['sheetName']!r}")
    if d.geometry:
        parts.append(f"geometry {d.geometry}")
    if info["primary_key"]:
        parts.append(f"primary key {info['primary_key']}")
    return f"  {d.name}: " + ", ".join(parts)


def init_lines(result: InitResult) -> list[str]:
    out = result.out
    lines = [f"described {len(result.resources)} resource(s) in {out / DESCRIPTOR}:"]
    for d in result.resources:
        lines.append(_resource_line(d))
        lines += [f"    note: {n}" for n in d.notes]
    lines += [f"  note: {n}" for n in result.notes]
    v = result.validation
    lines.append("validate: valid" if v.valid else
                 f"validate: {len(v.blocking)} error(s) (`publisher validate {out}` lists them)")
    lines += [f"  {f.message}" for f in v.blocking if f.type == "placeholder"]
    counts = Counter(str(f.severity) for f in result.check.findings)
    lines.append(f"check ({result.check.stats.get('policy')}): {counts.get('block', 0)} "
                 f"blocking, {counts.get('warn', 0)} warning(s)")
    steps = ", ".join(f"{s.type} ({s.resource})" for s in result.plan.steps) or "none needed"
    lines.append(f"pipeline: {out / PIPELINE}; steps: {steps}")
    if result.plan.open:
        lines.append(f"  {len(result.plan.open)} finding(s) no step settles (listed in the "
                     "pipeline file):")
        lines += [f"    {item}" for item in result.plan.open]
    lines.append(f"next: fill in the dataset block of {out / PIPELINE}, then "
                 f"`publisher run {out / PIPELINE}`")
    return lines
