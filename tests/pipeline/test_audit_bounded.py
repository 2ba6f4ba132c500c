"""The audit's residual risk over records not in memory, in bounded memory: each key
dictionary-encoded batch by batch and folded into the class key as soon as it is
read gives exactly the figures of the measure that held every column's text and
four position arrays whole (kept below as the reference)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import shapely

from publisher.package import batches
from publisher.package.batches import Batch
from publisher.package.loader import load_package
from publisher.package.model import Resource
from publisher.pipeline import audit

ROWS = 300
MANY = [f"c{i}" for i in range(6)]


# -- the reference: the measure as it was before it streamed its keys -------------

def _reference_measure(resource: Resource, declared: list[str]) -> dict[str, Any]:
    in_file = audit.file_columns(resource)
    assert in_file is not None
    geometry = resource.geometry.columns if resource.geometry else ()
    columns = [c for c in declared if c in in_file and c not in geometry]
    codes = _reference_codes(resource, columns)
    position = _reference_position_keys(resource)
    records = len(position[0]) if position else \
        len(codes[0]) if columns else audit._count(resource, in_file[0])
    if position is not None:
        columns.append(audit.GEOMETRY)
    if not columns:
        return {"kind": "records", "records": records, "quasi_identifiers": []}
    sizes = _reference_class_sizes(records, [*codes, *(position or [])])
    return {"kind": "records", "records": records, "quasi_identifiers": columns,
            "unique_share": round(float((sizes == 1).mean()), 3) if len(sizes) else 0.0,
            "smallest_class": int(sizes.min()) if len(sizes) else None}


def _reference_position_keys(resource: Resource) -> list[np.ndarray] | None:
    if not audit.has_geometry(resource):
        return None
    points = audit.point_batches(resource)
    if points is not None:
        coordinates = [(p.x, p.y) for p in points]
        x = np.concatenate([np.zeros(0), *(x for x, _ in coordinates)])
        y = np.concatenate([np.zeros(0), *(y for _, y in coordinates)])
        missing = np.isnan(x)
        x[missing], y[missing] = 0.0, 0.0
        return [missing, np.zeros(len(x), dtype=bool), x.view(np.int64), y.view(np.int64)]
    parts = [audit._position_keys(batch.geoms) for batch in audit.geometry_batches(resource)]
    if not parts:
        return audit._position_keys(np.zeros(0, dtype=object))
    if all(len(part) == len(parts[0]) for part in parts):
        return [np.concatenate(values) for values in zip(*parts, strict=True)]
    return [np.concatenate([shapely.to_wkb(batch.geoms, hex=True)
                            for batch in audit.geometry_batches(resource)])]


def _reference_class_sizes(records: int, arrays: list[np.ndarray]) -> np.ndarray:
    key = np.zeros(records, dtype=np.int64)
    radix = 1
    while arrays:
        codes, uniques = pd.factorize(arrays.pop(0), use_na_sentinel=False)
        size = max(len(uniques), 1)
        if radix * size >= 2**62:
            key, kept = pd.factorize(key)
            radix = max(len(kept), 1)
        key = key * size + codes.astype(np.int64)
        radix *= size
    ids, _ = pd.factorize(key)
    return np.bincount(ids)[ids] if len(ids) else np.zeros(0, dtype=np.int64)


def _reference_codes(resource: Resource, columns: list[str]) -> list[np.ndarray]:
    parts: dict[str, list[pa.Array]] = {c: [] for c in columns}
    if columns:
        for batch in audit.iter_batches(resource, columns):
            for column in columns:
                parts[column].append(batch.columns[column])
    out = []
    for column in columns:
        encoded = pc.dictionary_encode(pa.chunked_array(parts.pop(column), type=pa.string()))
        out.append(np.concatenate(
            [np.zeros(0, dtype=np.int64)] +
            [pc.fill_null(chunk.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
             for chunk in encoded.chunks]))
    return out


# -- generated packages -----------------------------------------------------------

def _rows(shape: str, seed: int) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    spots = [("51.339138", "12.381325"), ("51.3", "12.37"), ("0.0", "0.0"),
             ("-0.0", "0.0"), ("51.30", "12.370")]
    out = []
    for i in range(ROWS):
        lat, lon = spots[int(rng.integers(len(spots)))]
        roll = rng.random()
        if roll < 0.08:
            lat = ""  # a missing coordinate: no point
        elif roll < 0.12:
            lon = "x"  # not a number: no point
        elif roll < 0.5:
            lat, lon = f"{rng.uniform(51, 52):.6f}", f"{rng.uniform(12, 13):.6f}"
        wkt = "" if roll < 0.08 else "POINT EMPTY" if roll < 0.12 else f"POINT ({lon} {lat})"
        if shape == "wkt-mixed" and i == ROWS - 40:
            wkt = "POLYGON ((12 51, 13 51, 13 52, 12 51))"  # other shapes in a late batch
        if shape == "wkt-areas":
            wkt = "" if roll < 0.08 else \
                f"POLYGON ((12 51, 13 51, 13 {52 + int(rng.integers(3))}, 12 51))"
        row = {"id": str(i + 1),
               "few": str(rng.choice(["a", "b", "", "Ä ö", "a,b"])),
               "many": "" if rng.random() < 0.1 else f"v{rng.integers(0, 120)}",
               "unique": f"u{i}", "lat": lat, "lon": lon, "wkt": wkt}
        row.update({c: f"{c}-{rng.integers(0, 10**6)}" for c in MANY})
        out.append(row)
    return out


def _package(root: Path, shape: str, seed: int = 21, blank_line_at: int | None = None) -> Path:
    folder = root / f"{shape}-{seed}-{blank_line_at}"
    folder.mkdir()
    rows = _rows(shape, seed)
    names = ["id", "few", "many", "unique", *MANY]
    geometry: dict[str, Any] | None = None
    if shape == "latlon":
        names += ["lat", "lon"]
        geometry = {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"}
    elif shape.startswith("wkt"):
        names.append("wkt")
        geometry = {"kind": "wkt", "column": "wkt", "crs": "EPSG:4326"}
    with (folder / "r.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(names)
        for i, row in enumerate(rows):
            if i == blank_line_at:
                fh.write("\n")
            writer.writerow([row[n] for n in names])
    fields = [{"name": n, "type": "number" if n in ("lat", "lon") else "string"}
              for n in names]
    resource: dict[str, Any] = {"name": "r", "path": "r.csv", "format": "csv",
                                "schema": {"fields": fields}}
    if geometry:
        resource["geometry"] = geometry
    (folder / "datapackage.json").write_text(
        json.dumps({"name": "p", "resources": [resource]}), "utf-8")
    return folder


def _small_batches(monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    """Batches of `rows` records for the text and the geometry passes (iter_batches
    takes its default size when defined: the audit's calls are given it)."""
    monkeypatch.setattr(batches, "BATCH_ROWS", rows)
    batched = batches.iter_batches
    monkeypatch.setattr(audit, "iter_batches",
                        lambda resource, columns=None, batch_rows=rows:
                        batched(resource, columns, batch_rows))


DECLARED = [["few"], ["few", "many"], ["unique"], [], ["many", "absent"],
            ["few", "many", "unique", *MANY]]  # the last: the key compacts on the way


@pytest.mark.parametrize("shape", ["plain", "latlon", "wkt", "wkt-mixed", "wkt-areas"])
@pytest.mark.parametrize("declared", DECLARED)
def test_the_streamed_measure_gives_the_figures_of_the_reference(
        shape: str, declared: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _package(tmp_path, shape)
    _small_batches(monkeypatch, 7)  # 43 batches
    expected = _reference_measure(load_package(str(folder)).resources[0], list(declared))
    resource = load_package(str(folder)).resources[0]
    assert audit._measure(resource, list(declared)) == expected
    assert resource.data is None
    assert expected["records"] == ROWS
    assert len(list(audit.iter_batches(resource, ["few"]))) == 43
    if expected["quasi_identifiers"]:
        assert expected["smallest_class"] >= 1


def test_the_figures_do_not_depend_on_the_batches(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Values repeated across batches fall into one class however the records are cut."""
    folder = _package(tmp_path, "latlon", seed=5)
    figures = []
    for rows in (1, 7, 64, 10_000):
        _small_batches(monkeypatch, rows)
        figures.append(audit._measure(load_package(str(folder)).resources[0],
                                      ["few", "many"]))
    assert all(f == figures[0] for f in figures)
    assert figures[0]["smallest_class"] == 1 and figures[0]["unique_share"] < 1.0


def test_a_blank_line_gives_the_figures_of_the_reference(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank line in the file: a record of empty cells, as frictionless counts it."""
    folder = _package(tmp_path, "latlon", blank_line_at=150)
    _small_batches(monkeypatch, 16)
    expected = _reference_measure(load_package(str(folder)).resources[0], ["few", "many"])
    resource = load_package(str(folder)).resources[0]
    assert audit._measure(resource, ["few", "many"]) == expected
    assert expected["records"] == ROWS + 1  # the blank line is a record, as frictionless has it


def test_missing_values_and_empty_texts_are_classes_of_their_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches whose text holds nulls (as the whole-table reader's can): a null, an
    empty text and a text are three values, as in the reference."""
    folder = _package(tmp_path, "plain")
    rng = np.random.default_rng(3)
    values = [[None, "", "a", "b", f"u{i}"][int(rng.integers(5))] for i in range(ROWS)]
    values[:3] = [None, "", "a"]

    def with_nulls(resource: Resource, columns: list[str] | None = None,
                   batch_rows: int = 0) -> Any:
        for start in range(0, ROWS, 11):
            part = values[start:start + 11]
            yield Batch(np.arange(start + 2, start + 2 + len(part), dtype=np.int64),
                        {c: pa.array(part if c == "few" else [str(len(v or "")) for v in part],
                                      type=pa.string()) for c in columns or []})

    monkeypatch.setattr(audit, "iter_batches", with_nulls)
    resource = load_package(str(folder)).resources[0]
    expected = _reference_measure(resource, ["few", "many"])
    assert audit._measure(resource, ["few", "many"]) == expected
    alone = audit._measure(resource, ["few"])
    assert alone == _reference_measure(resource, ["few"])
    # the coding itself: tests/package/test_value_codes.py
