"""One CSV resource through the engine: stream, check each block, then keys.

Worker threads parse the file's byte ranges and check them (Arrow's kernels
release the GIL, so this uses every core); for a file read as one stream the
main thread parses and the workers check. The main thread merges the results
in file order, so the errors listed and their order are those of one
sequential pass, and renders each block's findings as it merges it. A tap
(the geometry checks of the same file) runs on each block's text columns
in the workers, and its results are kept in file order too.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from publisher.progress import NO_PROGRESS, Progress
from publisher.validate.engine.cells import Block, ErrorLog, Render, check_block, schema_checks
from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.fields import KEY_TYPES, FieldCheck
from publisher.validate.engine.integrity import Keys, check_primary_key, check_unique
from publisher.validate.engine.plan import Plan
from publisher.validate.engine.report import findings
from publisher.validate.engine.stream import (
    Piece,
    Quoted,
    Ragged,
    RowMap,
    Task,
    ragged_cells,
    row_map,
    tasks,
)


@dataclass
class Outcome:
    plan: Plan
    log: ErrorLog
    rows: int = 0
    keys: Keys | None = None
    notes: list[str] = field(default_factory=list)
    # what the tap made of each block (first row number, result), where the
    # blocks were the file's records in order; else None
    tapped: list[tuple[int, Any]] | None = None


# Called on each block's text columns (by header position) in a worker
# thread; None: it cannot use this block, nor so the whole pass.
Tap = Callable[[list[pa.Array]], Any]


def _concat(parts: list[pa.Array], key_type: pa.DataType) -> pa.ChunkedArray:
    return pa.chunked_array(parts, type=key_type)


WORKERS = max(1, os.cpu_count() or 1)
BlockResult = tuple[ErrorLog, dict[str, pa.Array], int, list[str], int, Any]
# Checks the blocks of a plan's file elsewhere (a cluster's workers: the seam
# publisher.passes.Passes.validate_ranges), the tap run on each, and returns
# their results in file order, or None: check them here.
RangeChecker = Callable[[Plan, set[str], int, Progress, Tap | None], list[BlockResult] | None]


def _check(task: Task, checks: Future[list[FieldCheck]], wanted: set[str],
           limit: int, tap: Tap | None) -> BlockResult:
    """Parse (when the task does) and check one piece; rows numbered from 2."""
    return check_piece(task(), checks.result(), wanted, limit, tap)


def check_piece(piece: Piece, checks: list[FieldCheck], wanted: set[str], limit: int,
                tap: Tap | None) -> BlockResult:
    """One piece's errors (rows numbered from 2), key values, Arrow rows, ragged
    records, bytes and what the tap made of it: what a block hands to the pass
    that merges them."""
    log = ErrorLog(limit=limit)
    keys = check_block(Block(piece.columns), checks, wanted, log)
    tapped = tap(piece.columns) if tap is not None and piece.columns else None
    return log, keys, piece.rows, piece.ragged, piece.size, tapped


@dataclass
class _Pass:
    """What one pass over the records collected, in file order."""

    log: ErrorLog
    key_parts: dict[str, list[pa.Array]]
    render: Render
    progress: Progress
    ragged: Ragged = field(default_factory=Ragged)
    rows: int = 0  # Arrow rows (the ragged ones come on top)
    tapped: list[tuple[int, Any]] = field(default_factory=list)

    def merge(self, future: Future[BlockResult]) -> None:
        """The main thread merges blocks in file order, and renders each
        block's findings while the workers check the next ones."""
        self.add(future.result())

    def add(self, result: BlockResult) -> None:
        block_log, keys, size, texts, read, tapped = result
        self.log.merge(block_log, shift=self.rows, render=self.render)
        self.tapped.append((self.rows + 2, tapped))
        for name, array in keys.items():
            self.key_parts[name].append(array)
        self.rows += size
        self.ragged.texts.extend(texts)
        self.progress.advance(read)


def _build(checks: Future[list[FieldCheck]], plan: Plan) -> None:
    if checks.done():
        return
    try:
        checks.set_result(schema_checks(plan.fields, plan.schema))
    except BaseException as exc:  # the workers waiting on the checks raise it too
        checks.set_exception(exc)
        raise


def _pass(plan: Plan, checks: Future[list[FieldCheck]], wanted: set[str], limit: int,
          split: bool, progress: Progress, tap: Tap | None) -> _Pass:
    """The checks are built here once the first pieces are parsing: building
    them is Python work, parsing is Arrow's, and the two overlap."""
    progress.start(f"{plan.name}: validate", os.path.getsize(plan.path), "bytes")
    done = _Pass(ErrorLog(limit=limit), {name: [] for name in wanted},
                 functools.partial(findings, plan.name), progress)
    pending: deque[Future[BlockResult]] = deque()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        try:
            for task in tasks(plan, done.ragged, split, WORKERS):
                pending.append(pool.submit(_check, task, checks, wanted, limit, tap))
                del task  # the pool holds the only reference: freed once checked
                if len(pending) == WORKERS:
                    _build(checks, plan)
                while len(pending) > WORKERS:  # bounds the blocks held in memory
                    done.merge(pending.popleft())
            _build(checks, plan)
            while pending:
                done.merge(pending.popleft())
        finally:
            for future in pending:
                future.cancel()
            if not checks.done():  # a worker waiting on them would wait for ever
                checks.cancel()
    return done


def _elsewhere(plan: Plan, checks: Future[list[FieldCheck]], wanted: set[str], limit: int,
               progress: Progress, ranges: RangeChecker | None, tap: Tap | None
               ) -> _Pass | None:
    """The blocks checked by `ranges` (on a cluster's workers), merged here in
    file order; None when they are checked here."""
    results = ranges(plan, wanted, limit, progress, tap) if ranges is not None else None
    if results is None:
        return None
    _build(checks, plan)
    done = _Pass(ErrorLog(limit=limit), {name: [] for name in wanted},
                 functools.partial(findings, plan.name), progress)
    for result in results:
        done.add(result)
    return done


def run_resource(plan: Plan, limit: int, progress: Progress = NO_PROGRESS,
                 tap: Tap | None = None, ranges: RangeChecker | None = None) -> Outcome:
    """Every error of the resource counted, the first `limit` kept; the bytes read
    reported to `progress`; `tap` run on each block (Outcome.tapped). `ranges`
    may check the blocks elsewhere."""
    wanted = plan.key_fields & {f.name for f in plan.fields}
    for schema_field in plan.fields:
        if schema_field.name in wanted and schema_field.type not in KEY_TYPES:
            raise Unsupported(f"field '{schema_field.name}' of type {schema_field.type} "
                              "in a key")
    built: Future[list[FieldCheck]] = Future()
    try:
        done = (_elsewhere(plan, built, wanted, limit, progress, ranges, tap)
                or _pass(plan, built, wanted, limit, split=True, progress=progress, tap=tap))
    except Quoted:  # quoted cells may hold newlines: one Arrow stream instead
        if built.cancelled():
            built = Future()
        done = _pass(plan, built, wanted, limit, split=False, progress=progress, tap=tap)
    progress.finish()
    checks = built.result()
    log, key_parts, ragged, ordinal = done.log, done.key_parts, done.ragged, done.rows

    mapping = row_map(plan, ordinal, ragged)
    if mapping is not None:
        log.map_rows(mapping.arrow)
        cells = [ragged_cells(plan, text) for text in ragged.texts]
        width = max(len(c) for c in cells)
        columns = [pa.array([c[i] if i < len(c) else None for c in cells], pa.string())
                   for i in range(width)]
        keys = check_block(Block(columns, mapping.ragged), checks, wanted, log)
        for name, array in keys.items():
            key_parts[name].append(array)
    outcome = Outcome(plan=plan, log=log, rows=ordinal + len(ragged.texts))
    if tap is not None and mapping is None and not log.counts.get("blank-row") and \
            all(tapped is not None for _, tapped in done.tapped):
        outcome.tapped = done.tapped
    if wanted:
        outcome.keys = _keys(checks, wanted, key_parts, ordinal, mapping)
        _integrity(plan, checks, outcome.keys, log)
    return outcome


def _keys(checks: list[FieldCheck], wanted: set[str], parts: dict[str, list[pa.Array]],
          arrow_rows: int, mapping: RowMap | None) -> Keys:
    columns = {check.name: _concat(parts[check.name], KEY_TYPES[check.kind])
               for check in checks if check.name in wanted}
    if mapping is None:  # already in row order: value k is row k + 2
        return Keys(size=arrow_rows, row_numbers=None, columns=columns)
    rows = np.concatenate([mapping.arrow, mapping.ragged]).astype(np.int64)
    order = np.argsort(rows, kind="stable")
    taken = pa.array(order)
    return Keys(size=len(rows), row_numbers=rows[order],
                columns={n: c.take(taken) for n, c in columns.items()})


def _integrity(plan: Plan, checks: list[FieldCheck], keys: Keys, log: ErrorLog) -> None:
    numbers = {c.name: c.number for c in checks}
    for name in plan.unique:
        check_unique(keys, name, numbers[name], log)
    if plan.primary_key:
        check_primary_key(keys, plan.primary_key, log)
