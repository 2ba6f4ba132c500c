"""A task run on every byte range of a CSV resource's file, on the workers.

The shared frame of the counting passes (grid cells, quasi-identifier classes,
value-table cells): the file, or the file a step narrowed the resource to
(model.Projection), is cut at record ends (publisher.cluster.scan.cut), each
worker reads its range's columns itself and returns a small partial result,
and the client gets them back in file order to combine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from publisher.cluster import scan
from publisher.cluster.client import connect
from publisher.cluster.parts import Part, can_cut
from publisher.cluster.scan import cut, gather
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Resource

T = TypeVar("T")


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


def over_ranges(resource: Resource, columns: Sequence[str], task: Callable[..., T | None],
                address: str, **kwargs: Any) -> list[T] | None:
    """task(part, **kwargs) on every range of the resource's file (columns read as
    text), the results in file order; None when the file cannot be read on the
    workers (file_of) or a range's task says None (the client then does the work
    itself, as in one process)."""
    file = file_of(resource, columns)
    if file is None:
        return None
    opts = csv_options(resource.descriptor, resource.name)
    header = tuple(read_header(file, opts, resource.name))
    with connect(address) as client:
        parts: list[Part] = cut(client, resource, file, header, tuple(columns),
                                scan.PART_BYTES)
        results: list[T | None] = gather(client, client.map(task, parts, **kwargs), resource)
    if any(r is None for r in results):
        return None
    return [r for r in results if r is not None]
