"""A task run on every byte range of a CSV resource's file, or on every row
group of a partitioned GeoParquet resource (set_parts), on the workers.

The shared frame of the counting passes (grid cells, quasi-identifier classes,
value-table cells): the file, or the file a step narrowed the resource to
(model.Projection), is cut at record ends (publisher.cluster.scan.cut), each
worker reads its range's columns itself and returns a small partial result.
over_ranges hands the partial results to the client in file order;
reduce_ranges sums them on the workers, FAN_IN neighbouring ranges at a time
(a tree, file order kept), so the client receives one combined result, however
many ranges there are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from publisher.cluster import scan
from publisher.cluster.client import connect
from publisher.cluster.parts import AnyPart, ParquetPart, can_cut
from publisher.cluster.scan import cut, gather
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Resource
from publisher.package.readers._parquetset import pieces, text_columns

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
FAN_IN = 8  # partial results summed by one task of the tree


def file_of(resource: Resource, columns: Sequence[str]) -> Path | None:
    """The CSV file the workers can read the columns from: the resource's records
    are not in memory, the file can be cut, and holds every column; else None."""
    file = resource.projection.file if resource.projection else resource.path
    if resource.data is not None or resource.format != "csv" or file is None:
        return None
    if resource.projection is not None and any(c not in resource.projection.columns
                                               for c in columns):
        return None
    opts = csv_options(resource.descriptor, resource.name)
    if not can_cut(opts) or any(c not in read_header(file, opts, resource.name)
                                for c in columns):
        return None
    return file


def set_parts(resource: Resource, columns: Sequence[str]) -> list[ParquetPart] | None:
    """One part per row group of a partitioned GeoParquet resource (in record
    order) whose records are the set's (no step derived them: model.Resource.dataset)
    and hold every column; else None."""
    pset = resource.dataset
    if pset is None or (resource.data is not None and len(resource.data) != pset.rows):
        return None
    names = text_columns(pset)
    if names is None or any(c not in names for c in columns):
        return None
    return [ParquetPart(pset.only(file), 0, group, rows, tuple(columns), resource.name)
            for file, group, rows in pieces(pset)]


def _submit(client: Client, resource: Resource, file: Path | list[ParquetPart],
            columns: Sequence[str], task: Callable[..., T | None], kwargs: dict[str, Any]
            ) -> list[Future[T | None]]:
    parts: list[AnyPart]
    if isinstance(file, list):
        parts = list(file)
    else:
        opts = csv_options(resource.descriptor, resource.name)
        header = tuple(read_header(file, opts, resource.name))
        parts = list(cut(client, resource, file, header, tuple(columns), scan.PART_BYTES))
    futures: list[Future[T | None]] = client.map(task, parts, **kwargs)
    return futures


def over_ranges(resource: Resource, columns: Sequence[str], task: Callable[..., T | None],
                address: str, **kwargs: Any) -> list[T] | None:
    """task(part, **kwargs) on every range of the resource's file (columns read as
    text), the results in file order; None when the file cannot be read on the
    workers (file_of) or a range's task says None (the client then does the work
    itself, as in one process)."""
    file = set_parts(resource, columns) or file_of(resource, columns)
    if file is None:
        return None
    with connect(address) as client:
        results = gather(client, _submit(client, resource, file, columns, task, kwargs),
                         resource)
    if any(r is None for r in results):
        return None
    return [r for r in results if r is not None]


def reduce_ranges(resource: Resource, columns: Sequence[str], task: Callable[..., T | None],
                  combine: Callable[[list[T]], T], address: str, **kwargs: Any) -> T | None:
    """over_ranges with the results combined on the workers: combine(results of
    neighbouring ranges, in file order) until one is left; None as over_ranges,
    and for a file without records."""
    file = set_parts(resource, columns) or file_of(resource, columns)
    if file is None:
        return None
    with connect(address) as client:
        futures = _submit(client, resource, file, columns, task, kwargs)
        if not futures:  # no record: nothing to spread
            return None
        while len(futures) > 1:
            futures = [client.submit(_combined, futures[i:i + FAN_IN], combine)
                       for i in range(0, len(futures), FAN_IN)]
        result: T | None = gather(client, futures, resource)[0]
    return result


def _combined(results: list[T | None], combine: Callable[[list[T]], T]) -> T | None:
    """Runs on a worker: one step of the tree."""
    if any(r is None for r in results):
        return None
    return combine([r for r in results if r is not None])
