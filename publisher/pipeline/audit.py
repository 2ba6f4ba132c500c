"""The audit record of a run: what was done to the data and how safe the result is.

Inputs with their sha256 hashes, the policy with its thresholds, every step
with its parameters and figures, rows and cells suppressed, k reached,
residual risk before and after (share of records unique on the
quasi-identifiers, smallest class or published cell, flagged above the
policy's residual-uniqueness threshold), information lost, the warnings the
pipeline accepted with their reasons, what the policy does not check, and
the legal basis and review date of the pipeline (RULES.md section 5).

Only figures, parameters, names and hashes go in: never a data value, a
finding sample, a path outside the package, or the secret key (steps never
hold it in their parameters). Floats are rounded to 3 places at most.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from publisher.anonymity import class_sizes
from publisher.memory import give_back
from publisher.package.aggregates import count_fields
from publisher.package.batches import iter_batches
from publisher.package.frames import column_values, file_columns
from publisher.package.geobatches import geometry_batches, has_geometry, point_batches
from publisher.package.model import Package, Resource
from publisher.package.value_codes import ValueCodes
from publisher.params import SUMMED, marked_fields, thresholds
from publisher.pipeline.accept import Verdict
from publisher.pipeline.spec import PipelineSpec
from publisher.report import Report
from publisher.rules.policy import Policy
from publisher.rules.residual_uniqueness import ResidualUniqueness, ResidualUniquenessParams
from publisher.steps.base import Step, StepFigures

GEOMETRY = "(position)"


def sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def build_audit(*, spec: PipelineSpec, policy: Policy, source: Package, published: Package,
                steps: list[Step[Any]], records: list[dict[str, Any]], reports: dict[str, Report],
                step_inputs: list[Path], run_id: str,
                acceptance: Verdict | None = None) -> dict[str, Any]:
    dataset = spec.dataset
    figures = [StepFigures.model_validate(r["stats"]) for r in records]
    qis = quasi_identifiers(spec, steps)
    threshold = unique_share_threshold(policy)
    risk = {r.name: residual_risk(r, _published(published, r.name),
                                  list(dict.fromkeys([*qis.get(r.name, []), *qis.get("*", [])])),
                                  threshold)
            for r in source.resources}
    for r in source.resources:
        risk[r.name]["declared_personal"] = declared_personal(source, r)
    return {
        "record": "anonymisation audit",
        "run_id": run_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "pipeline": {"name": spec.name, "file": spec.file.name, "sha256": sha256(spec.file)},
        "dataset": {k: dataset.get(k) for k in ("name", "title", "publisher", "license")},
        "legal": {"legal_basis": dataset.get("legal_basis") or "not given in the pipeline",
                  "review_date": dataset.get("review_date") or "not given in the pipeline",
                  "frame": "GDPR Art. 4(1) and Recital 26; s.12a EGovG (DE)"},
        "inputs": _inputs(source, step_inputs, spec.base),
        "policy": {"name": policy.name,
                   "files": [{"file": p.name, "sha256": sha256(p)} for p in policy.chain],
                   "rules": [{"id": r.id, "type": r.type, "severity":
                              str(r.severity) if r.severity else None, "params": r.params}
                             for r in policy.rules]},
        "steps": [{"type": r["type"], "params": _rounded(r["params"]),
                   "figures": _rounded(r["stats"]), "notes": r["notes"]} for r in records],
        "thresholds": _thresholds(steps),
        "suppression": {name: sum(getattr(f, name) or 0 for f in figures)
                        for name in marked_fields(StepFigures, SUMMED)},
        "k": _k(figures),
        "residual_risk": risk,
        "max_unique_share": threshold,
        "information_lost": _lost(figures),
        "checks": {name: reports[name].summary() for name in ("check", "recheck", "conformance")
                   if name in reports},
        "accepted_warnings": [u.to_dict() for u in acceptance.uses] if acceptance else [],
        "acceptance_notes": acceptance.notes if acceptance else [],
        "not_checked": policy.not_checked,
        "metadata_profiles": reports["conformance"].stats if "conformance" in reports else {},
    }


def unique_share_threshold(policy: Policy) -> float | None:
    """The policy's residual-uniqueness threshold, if it has the rule."""
    for rule in policy.rules:
        if rule.type == ResidualUniqueness.type:
            return ResidualUniquenessParams.model_validate(rule.params).max_unique_share
    return None


def quasi_identifiers(spec: PipelineSpec, steps: list[Step[Any]]) -> dict[str, list[str]]:
    """Declared in the pipeline's `audit.quasi_identifiers` ({resource: [columns]}), plus
    those of k-anonymise steps; the key '*' holds those of steps naming no resource."""
    out = {name: list(columns) for name, columns in spec.audit.quasi_identifiers.items()}
    for step in steps:
        hierarchies = getattr(step.params, "quasi_identifiers", None)
        if hierarchies:
            name = step.params.resource or "*"
            out[name] = list(dict.fromkeys([*out.get(name, []),
                                            *(h.column for h in hierarchies)]))
    return out


def residual_risk(before: Resource, after: Resource | None, declared: list[str],
                  threshold: float | None = None) -> dict[str, Any]:
    """Share of records unique on the quasi-identifiers (and the position of
    spatial records), before and after; the smallest class or published cell;
    whether what is published is above the policy's threshold."""
    result: dict[str, Any] = {"quasi_identifiers": declared, "before": _measure(before,
                                                                                declared)}
    result["after"] = _measure(after, declared) if after is not None else {"published": False}
    share = result["after"].get("unique_share")
    if threshold is not None and isinstance(share, float | int):
        result["after"]["above_threshold"] = share > threshold
    return result


def declared_personal(package: Package, resource: Resource) -> bool | None:
    """The `personal` flag the package declares for the resource, if any."""
    for descriptor in (resource.descriptor, package.descriptor):
        declared = descriptor.get("personal")
        if isinstance(declared, bool):
            return declared
    return None


def _measure(resource: Resource, declared: list[str]) -> dict[str, Any]:
    marked = count_fields(resource)
    if marked:
        table = resource.view(tuple(dict.fromkeys([*declared, *marked])))
        if not _has_points(table):  # cells and areas are polygons
            counts = pd.to_numeric(table[marked[0]], errors="coerce").dropna().to_numpy()
            total = float(counts.sum())
            return {"kind": "aggregate", "records": int(total), "cells": len(table),
                    "cells_suppressed": int(len(table) - len(counts)),
                    "unique_share": round(float(counts[counts == 1].sum()) / total, 3)
                    if total else 0.0,
                    "smallest_cell": int(counts[counts > 0].min()) if (counts > 0).any()
                    else None}
    in_file = file_columns(resource)
    if in_file is not None:  # records not in memory: their columns, and the positions
        geometry = resource.geometry.columns if resource.geometry else ()
        columns = [c for c in declared if c in in_file and c not in geometry]
        # each key folded into the class key as soon as read, its codes let go: no
        # array per record for every key at once (10M records: a gigabyte)
        texts = _text_encoders(resource, columns)
        records = texts[0].records if texts else 0
        key = _ClassKey(records)
        for encoder in texts:
            key.fold(encoder)
        del texts
        give_back()
        place = _position_encoders(resource)
        if place is not None:
            if not columns:
                records = place[0].records
                key = _ClassKey(records)
            for encoder in place:
                key.fold(encoder)
            del place
            columns.append(GEOMETRY)
        if not columns:
            return {"kind": "records", "records": _count(resource, in_file[0]),
                    "quasi_identifiers": []}
        counts = key.counts()
        return {"kind": "records", "records": records, "quasi_identifiers": columns,
                "unique_share": round(float(np.count_nonzero(counts == 1)) / records, 3)
                if records else 0.0,
                "smallest_class": int(counts.min()) if records else None}
    else:
        table = resource.view(tuple(dict.fromkeys([*declared, *marked])))
        columns = [c for c in declared if c in table.columns]
        frame = pd.DataFrame({c: table[c] for c in columns}, index=table.index)
        records = len(table)
        position = _position_keys(np.asarray(table.geometry.array, dtype=object)) \
            if isinstance(table, gpd.GeoDataFrame) else None
    keys = list(columns)
    if position is not None:
        for i, values in enumerate(position):
            frame[f"{GEOMETRY}{i}"] = values
        keys += [f"{GEOMETRY}{i}" for i in range(len(position))]
        columns.append(GEOMETRY)
    if not columns:
        return {"kind": "records", "records": records, "quasi_identifiers": []}
    sizes = class_sizes(frame, keys)
    return {"kind": "records", "records": records, "quasi_identifiers": columns,
            "unique_share": round(float((sizes == 1).mean()), 3) if len(sizes) else 0.0,
            "smallest_class": int(sizes.min()) if len(sizes) else None}


class _ClassKey:
    """Each record's class over keys folded in one at a time: the classes
    anonymity.class_sizes finds in a frame of them (a mixed-radix key of the keys'
    codes, compacted before it would overflow)."""

    def __init__(self, records: int) -> None:
        self.key = np.zeros(records, dtype=np.int64)
        self.radix = 1

    def fold(self, encoder: ValueCodes) -> None:
        assert encoder.records == len(self.key), "every key counts the resource's records"
        encoded = encoder.encoded()
        codes, size = encoded.codes, encoded.size
        if self.radix * size >= 2**62:
            self.key, kept = pd.factorize(self.key)
            self.radix = max(len(kept), 1)
        self.key *= size
        self.key += codes
        self.radix *= size

    def counts(self) -> np.ndarray:
        """The size of each class."""
        ids, _ = pd.factorize(self.key)
        return np.bincount(ids) if len(ids) else np.zeros(0, dtype=np.int64)


def _text_encoders(resource: Resource, columns: list[str]) -> list[ValueCodes]:
    """The columns of records not in memory, read in one pass: Arrow text while
    reading, no Python string per record ("" and missing apart)."""
    encoders = [ValueCodes() for _ in columns]
    if columns:
        for batch in iter_batches(resource, columns):
            for column, encoder in zip(columns, encoders, strict=True):
                values = batch.columns[column]
                encoder.add(values if values.type == pa.string() else values.cast(pa.string()))
    return encoders


def _position_encoders(resource: Resource) -> list[ValueCodes] | None:
    """The position of records not in memory, batch by batch, equal exactly where
    _position_keys is: for points whether missing or empty and the coordinates' bits,
    else the WKB; None without geometry."""
    if not has_geometry(resource):
        return None
    points = point_batches(resource)
    if points is not None:  # lat/lon columns: their numbers, no shape built
        state, x, y = ValueCodes(), ValueCodes(), ValueCodes()
        for point in points:
            missing = np.isnan(point.x)
            point.x[missing], point.y[missing] = 0.0, 0.0
            state.add(pa.array(missing.astype(np.int8)))
            x.add(pa.array(point.x.view(np.int64)))
            y.add(pa.array(point.y.view(np.int64)))
        return [state, x, y]
    state, x, y = ValueCodes(), ValueCodes(), ValueCodes()
    for batch in geometry_batches(resource):
        keys = _position_keys(batch.geoms)
        if len(keys) == 1:  # other shapes than points: the WKB of every record
            return [_wkb_encoder(resource)]
        missing, empty, xs, ys = keys
        state.add(pa.array(missing.astype(np.int8) + 2 * empty.astype(np.int8)))
        x.add(pa.array(xs))
        y.add(pa.array(ys))
    return [state, x, y]


def _wkb_encoder(resource: Resource) -> ValueCodes:
    encoder = ValueCodes()
    for batch in geometry_batches(resource):
        encoder.add(pa.array(shapely.to_wkb(batch.geoms), type=pa.binary()))
    return encoder


def _count(resource: Resource, column: str) -> int:
    return sum(len(part) for part in column_values(resource, column))


def _position_keys(geoms: np.ndarray) -> list[np.ndarray]:
    """Columns equal exactly where the geometries' WKB is: for 2D points or missing
    geometries (what point data hold) the coordinates' bits and flags for missing
    and empty,
    without writing a WKB text per record; else the WKB itself."""
    missing = shapely.is_missing(geoms)
    present = geoms[~missing]
    if (shapely.get_type_id(present) == 0).all() and not shapely.has_z(present).any():
        empty = shapely.is_empty(geoms) & ~missing
        x = np.zeros(len(geoms), dtype=np.float64)
        y = np.zeros(len(geoms), dtype=np.float64)
        located = ~(missing | empty)
        x[located], y[located] = shapely.get_x(geoms[located]), shapely.get_y(geoms[located])
        return [missing, empty, x.view(np.int64), y.view(np.int64)]
    return [shapely.to_wkb(geoms, hex=True)]


def _has_points(table: pd.DataFrame) -> bool:
    if not isinstance(table, gpd.GeoDataFrame) or table.active_geometry_name is None:
        return False
    return bool((shapely.get_type_id(np.asarray(table.geometry.array, dtype=object)) == 0).any())


def _published(package: Package, name: str) -> Resource | None:
    return next((r for r in package.resources if r.name == name), None)


def _inputs(source: Package, step_inputs: list[Path], base: Path) -> list[dict[str, Any]]:
    root = source.root
    files = sorted(root.glob("datapackage.*"))
    files += [r.path for r in source.resources if r.path is not None and r.path.is_file()]
    out = [{"file": _relative(p, root), "role": "package", "sha256": sha256(p),
            "bytes": p.stat().st_size} for p in dict.fromkeys(files)]
    out += [{"file": _relative(p, base), "role": "step layer", "sha256": sha256(p),
             "bytes": p.stat().st_size} for p in dict.fromkeys(step_inputs) if p.is_file()]
    return out


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _thresholds(steps: list[Step[Any]]) -> list[dict[str, Any]]:
    """Each step's parameters marked THRESHOLD (publisher.params)."""
    out = []
    for i, step in enumerate(steps):
        found = thresholds(step.params)
        if found:
            out.append({"step": i + 1, "type": step.type, **_rounded(found)})
    return out


def _k(figures: list[StepFigures]) -> dict[str, Any]:
    asked = [f.k_asked for f in figures if f.k_asked]
    reached = [f.k_reached for f in figures if f.k_reached is not None]
    if not asked:
        return {"asked": None, "reached": None,
                "note": "no step enforces k; see the residual risk for the classes reached"}
    return {"asked": max(asked), "reached": min(reached) if reached else None}


def _lost(figures: list[StepFigures]) -> dict[str, Any]:
    lost: dict[str, Any] = {"columns_dropped": {}, "generalisation": {},
                            "cells_suppressed": 0, "cells_merged": 0,
                            "mean_displacement_m": None}
    moved = []
    for f in figures:
        for name, columns in f.columns_dropped.items():
            lost["columns_dropped"].setdefault(name, []).extend(columns)
        lost["generalisation"].update(f.generalisation)
        lost["cells_suppressed"] += f.cells_suppressed or 0
        lost["cells_merged"] += f.cells_merged or 0
        if f.mean_displacement_m is not None:
            moved.append(f.mean_displacement_m)
        if f.cells_by_resolution is not None:
            lost["grid_cells_by_resolution_m"] = f.cells_by_resolution
    if moved:
        lost["mean_displacement_m"] = round(max(moved), 1)
    return lost


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value
