"""Seeded random CSV packages: mostly valid cells, a sprinkle of tricky ones."""

from __future__ import annotations

import csv
import io
import random
from typing import Any

from differential import Table

VALID: dict[str, list[str]] = {
    "string": ["a", "Müller", "x y", "ab,c", 'say "hi"', "line\nbreak", "NA", "ü" * 3, "-"],
    "integer": ["0", "1", "-7", "42", "007", "123456789", "+3", " 5"],
    "number": ["0", "1.5", "-2.25", "1e3", ".5", "5.", "3", "0.1", "NaN", "-0", "1E-2"],
    "boolean": ["true", "false", "True", "FALSE", "yes", "0", "1"],
    "date": ["2024-01-01", "2024-02-29", "1999-12-31", "2000-06-15", "2024-1-5"],
    "time": ["00:00:00", "12:30:15", "23:59:59", "10:00:00.25", "10:00:00Z"],
    "datetime": ["2024-01-01T00:00:00", "2024-01-01 12:00:00", "2024-06-30T23:59:59",
                 "2024-01-01T10:00:00Z", "2024-01-01T10:00:00+02:00", "2024-01-01X10:00:00"],
    "year": ["2024", "1999", "0001", "0999"],
    "geopoint": ["13.4, 52.5", "0,0", "-180,90", "181, 0"],
}
TRICKY = ["", " ", "NA", "n/a", "x", "1,5", "2023-02-29", "2024-13-01", "24:00:00", "1.0",
          "1e400", "inf", "-", "ä", "\t", "9999999999999999999999", "2024-01-01T25:00:00",
          "10:00", "0000-01-01", "1_000", "true ", "2024-02-30"]
TYPES = list(VALID)


def _field(rng: random.Random, index: int) -> dict[str, Any]:
    kind = rng.choice(TYPES)
    spec: dict[str, Any] = {"name": f"f{index}", "type": kind}
    constraints: dict[str, Any] = {}
    if rng.random() < 0.2:
        constraints["required"] = True
    if kind in ("integer", "number") and rng.random() < 0.4:
        constraints[rng.choice(["minimum", "maximum"])] = rng.choice([0, 1, 3, 42])
    if kind == "string" and rng.random() < 0.3:
        constraints.update(rng.choice([{"minLength": 2}, {"maxLength": 3},
                                       {"pattern": "[a-zA-Z ]+"},
                                       {"enum": ["a", "x y", "NA"]}]))
    if kind == "date" and rng.random() < 0.3:
        constraints["minimum"] = "2000-01-01"
    if kind in ("string", "integer", "number", "date") and rng.random() < 0.15:
        constraints["unique"] = True
    if constraints:
        spec["constraints"] = constraints
    return spec


def _cell(rng: random.Random, kind: str, bad: float) -> str:
    if rng.random() < bad:
        return rng.choice(TRICKY)
    return rng.choice(VALID[kind])


def make_table(seed: int) -> Table:
    rng = random.Random(seed)
    fields = [_field(rng, i) for i in range(rng.randint(1, 5))]
    schema: dict[str, Any] = {"fields": fields}
    if rng.random() < 0.2:
        schema["missingValues"] = ["", "NA", "-"]
    if rng.random() < 0.2:
        schema["primaryKey"] = [fields[0]["name"]]
    delimiter = rng.choice([",", ",", ";"])
    labels = [f["name"] for f in fields]
    if rng.random() < 0.1 and len(labels) > 1:
        labels[0], labels[1] = labels[1], labels[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(labels)
    bad = rng.choice([0.0, 0.05, 0.2])
    for _ in range(rng.randint(0, 30)):
        row = [_cell(rng, f["type"], bad) for f in fields]
        roll = rng.random()
        if roll < 0.03:
            row = []
        elif roll < 0.06:
            row = row[: rng.randint(0, len(row))]
        elif roll < 0.08:
            row = [*row, "extra"]
        writer.writerow(row)
    text = buffer.getvalue()
    encoding = rng.choice([None, None, "utf-8", "latin-1"])
    data = text.encode("latin-1" if encoding == "latin-1" else "utf-8", errors="replace")
    if encoding is None and rng.random() < 0.2:
        data = "\ufeff".encode() + data
    dialect = {"delimiter": delimiter} if delimiter != "," or rng.random() < 0.3 else None
    return Table("t", data, schema, dialect=dialect, encoding=encoding)
