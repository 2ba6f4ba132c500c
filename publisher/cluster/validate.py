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
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from publisher.cluster.client import ClusterError, connect
from publisher.progress import Progress
from publisher.validate.engine.cells import schema_checks
from publisher.validate.engine.plan import Plan
from publisher.validate.engine.resource import BlockResult, Tap, check_piece
from publisher.validate.engine.stream import Quoted, parse_range, split_ranges

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
    try:
        result: BlockResult | None = future.result()
    except FileNotFoundError as exc:
        raise ClusterError(f"resource '{plan.name}': a worker cannot read the file "
                           f"({exc.strerror or exc})",
                           hint="the workers read the files themselves: put the package on "
                                "storage every worker mounts at the same path") from None
    except OSError as exc:
        raise ClusterError(f"resource '{plan.name}': the cluster failed: "
                           f"{type(exc).__name__}", hint="deploy/local/cluster status") from None
    return result
