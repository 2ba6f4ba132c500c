"""The validation engine's checks of a CSV file's records, on the workers.

The client cuts the file at newlines as the engine does in one process
(publisher.validate.engine.stream: whole records, about CHUNK_SIZE bytes each,
only the bytes around each cut are read); each worker reads its byte range
itself, parses it and checks it (check_piece), runs the geometry checks of
lat/lon or WKT columns on the same text (the engine's tap,
publisher.validate.geometry.GeometryTap), and hands back the range's errors
(counted, the first `limit` kept), the values of the key fields, any ragged
records and the geometry summary. The client merges the blocks in file order, as the
engine's own pass does, so findings and row numbers are those of one process.
A range whose quoted cells may hold line breaks cannot be placed this way: the
engine then reads the file itself (as one Arrow stream, as in one process).

A GeoParquet set (a folder or an S3 prefix) is validated one row group a task:
each worker reads its row group and validates its records with frictionless as
the one-process pass does (publisher.validate.schema.validate_piece), rows
numbered from the group's first record; the client lists the errors in record
order. Unique fields and a primary key are checked by the client over the
key cells the workers hand back with their errors, in record order as one pass
does (publisher.validate.setkeys), and foreign keys into other resources by
looking the records' key cells up in those resources' keys (a set whose foreign
keys refer to itself is validated by the client).
"""

from __future__ import annotations

import copy
import os
from typing import TYPE_CHECKING, Any

import frictionless as fl

from publisher.cluster.client import connect, worker_failures
from publisher.package.model import Resource
from publisher.progress import Progress
from publisher.validate.engine.cells import schema_checks
from publisher.validate.engine.plan import Plan
from publisher.validate.engine.resource import BlockResult, Tap, check_piece
from publisher.validate.engine.stream import Quoted, parse_range, split_ranges
from publisher.validate.schema import SetResult, merge_pieces, validate_piece

if TYPE_CHECKING:
    from distributed import Client, Future


def _check_range(plan: Plan, start: int, stop: int, wanted: set[str], limit: int,
                 tap: Tap | None) -> BlockResult | None:
    """Runs on a worker: one range parsed and checked, the tap run on it; None
    when its quoted cells may hold line breaks."""
    try:
        piece = parse_range(plan, start, stop)
    except Quoted:
        return None
    return check_piece(piece, schema_checks(plan.fields, plan.schema), wanted, limit, tap)


def validate_ranges_on(plan: Plan, wanted: set[str], limit: int, progress: Progress,
                       tap: Tap | None, address: str) -> list[BlockResult] | None:
    """Every range of the plan's file checked on the workers, in file order; None
    when the file cannot be cut at newlines or a range may not end at a record end."""
    ranges = split_ranges(plan)
    if ranges is None:
        return None
    progress.start(f"{plan.name}: validate on the cluster", os.path.getsize(plan.path), "bytes")
    with connect(address) as client:
        futures = _submit(client, plan, ranges, wanted, limit, tap)
        results: list[BlockResult] = []
        try:
            for future in futures:
                result = _result(future, plan)
                if result is None:
                    return None
                progress.advance(result[4])
                results.append(result)
        finally:
            client.cancel(futures)  # type: ignore[no-untyped-call]
    return results


def _submit(client: Client, plan: Plan, ranges: list[tuple[int, int]], wanted: set[str],
            limit: int, tap: Tap | None) -> list[Future[BlockResult | None]]:
    shared = client.scatter(plan, broadcast=True)  # type: ignore[no-untyped-call]
    futures: list[Future[BlockResult | None]] = client.map(
        _check_range, [shared] * len(ranges), [r[0] for r in ranges], [r[1] for r in ranges],
        wanted=wanted, limit=limit, tap=tap, pure=False)
    return futures


def _result(future: Future[BlockResult | None], plan: Plan) -> BlockResult | None:
    with worker_failures(plan.name):
        result: BlockResult | None = future.result()
    return result


def _validate_piece(resource: Resource, group: int, schema: dict[str, Any], offset: int,
                    first: bool, limit: int) -> SetResult:
    """Runs on a worker: one row group of the resource's set (narrowed to its file)
    read and validated as the one-process pass validates it."""
    from geopandas.io.arrow import _arrow_to_geopandas  # what read_parquet does

    from publisher.package.readers._parquetset import read_piece
    from publisher.package.readers.geoparquet import frame_of

    assert resource.dataset is not None
    table = read_piece(resource.dataset, 0, group, None, resource.name)
    frame = frame_of(resource, _arrow_to_geopandas(table))
    return validate_piece(resource, fl.Schema.from_descriptor(schema), frame, offset, first,
                          limit)


def validate_set_on(resource: Resource, schema: dict[str, Any], limit: int,
                    address: str) -> SetResult | None:
    """The records of a GeoParquet set validated on the workers, one row group a
    task (each task carries its own file only), combined in record order (keys
    checked across the row groups here: merge_pieces); None
    for a resource that is not a set or a set without records."""
    from publisher.package.readers._parquetset import pieces

    pset = resource.dataset
    if pset is None:
        return None
    items = pieces(pset)
    if not items:
        return None
    tasks: list[tuple[Resource, int, int]] = []
    offset = 0
    for file, group, records in items:
        narrowed = copy.copy(resource)
        narrowed.dataset = pset.only(file)
        tasks.append((narrowed, group, offset))
        offset += records
    with connect(address) as client:
        futures = [client.submit(_validate_piece, narrowed, group, schema, start, n == 0, limit,
                                 pure=False)
                   for n, (narrowed, group, start) in enumerate(tasks)]
        with worker_failures(resource.name):
            parts: list[SetResult] = client.gather(futures)  # type: ignore[no-untyped-call]
    return merge_pieces(resource, fl.Schema.from_descriptor(schema), parts)
