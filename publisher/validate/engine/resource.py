"""One CSV resource through the engine: stream, check each block, then keys."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from publisher.validate.engine.cells import Block, ErrorLog, check_block, schema_checks
from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.fields import KEY_TYPES, FieldCheck
from publisher.validate.engine.integrity import Keys, check_primary_key, check_unique
from publisher.validate.engine.plan import Plan
from publisher.validate.engine.stream import Ragged, RowMap, batches, ragged_cells, row_map


@dataclass
class Outcome:
    plan: Plan
    log: ErrorLog
    rows: int = 0
    keys: Keys | None = None
    notes: list[str] = field(default_factory=list)


def _concat(parts: list[pa.Array], key_type: pa.DataType) -> pa.ChunkedArray:
    return pa.chunked_array(parts, type=key_type)


def run_resource(plan: Plan, limit: int) -> Outcome:
    """Every error of the resource counted, the first `limit` kept."""
    log = ErrorLog(limit=limit)
    checks = schema_checks(plan.fields, plan.schema)
    wanted = plan.key_fields & {c.name for c in checks}
    for check in checks:
        if check.name in wanted and check.kind not in KEY_TYPES:
            raise Unsupported(f"field '{check.name}' of type {check.kind} in a key")
    key_parts: dict[str, list[pa.Array]] = {name: [] for name in wanted}
    ragged = Ragged()
    ordinal = 0
    for batch in batches(plan, ragged):
        size = batch.num_rows
        rows = np.arange(ordinal + 2, ordinal + 2 + size, dtype=np.int64)
        keys = check_block(Block(list(batch.columns), rows), checks, wanted, log)
        for name, array in keys.items():
            key_parts[name].append(array)
        ordinal += size

    mapping = row_map(plan, ordinal, ragged)
    arrow_rows = np.arange(2, ordinal + 2, dtype=np.int64)
    if mapping is not None:
        arrow_rows = mapping.arrow
        for error in log.kept:
            error.row = int(mapping.arrow[error.row - 2])
        cells = [ragged_cells(plan, text) for text in ragged.texts]
        width = max(len(c) for c in cells)
        columns = [pa.array([c[i] if i < len(c) else None for c in cells], pa.string())
                   for i in range(width)]
        keys = check_block(Block(columns, mapping.ragged), checks, wanted, log)
        for name, array in keys.items():
            key_parts[name].append(array)
    outcome = Outcome(plan=plan, log=log, rows=ordinal + len(ragged.texts))
    if wanted:
        outcome.keys = _keys(checks, wanted, key_parts, arrow_rows, mapping)
        _integrity(plan, checks, outcome.keys, log)
    return outcome


def _keys(checks: list[FieldCheck], wanted: set[str], parts: dict[str, list[pa.Array]],
          arrow_rows: npt.NDArray[np.int64], mapping: RowMap | None) -> Keys:
    ragged_rows = mapping.ragged if mapping is not None else np.zeros(0, dtype=np.int64)
    rows = np.concatenate([arrow_rows, ragged_rows]).astype(np.int64)
    order = np.argsort(rows, kind="stable")
    columns = {}
    for check in checks:
        if check.name in wanted:
            column = _concat(parts[check.name], KEY_TYPES[check.kind])
            columns[check.name] = column.take(pa.array(order)) if len(ragged_rows) else column
    return Keys(rows=rows[order], columns=columns)


def _integrity(plan: Plan, checks: list[FieldCheck], keys: Keys, log: ErrorLog) -> None:
    numbers = {c.name: c.number for c in checks}
    for name in plan.unique:
        check_unique(keys, name, numbers[name], log)
    if plan.primary_key:
        check_primary_key(keys, plan.primary_key, log)
