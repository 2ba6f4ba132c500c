"""Records per combination of quasi-identifier values (k-anonymity, residual
uniqueness) counted on the workers: each CSV byte range's class counts, in
order of first appearance (publisher.rules._quasi.count_classes), summed in file
order (add_classes) on the workers (publisher.cluster.ranges.reduce_ranges),
which is what one process gets batch by batch. The client receives one row per
combination, never the records.
"""

from __future__ import annotations

import pandas as pd

from publisher.cluster.parts import AnyPart, BlankLine, read_part
from publisher.cluster.ranges import reduce_ranges
from publisher.package.model import Resource
from publisher.rules._quasi import add_classes, count_classes


def classes_part(part: AnyPart, names: list[str]) -> pd.Series | None:
    """Runs on a worker: the range's class counts; None for a blank line (the client
    then reads the file, numbering it as frictionless does)."""
    try:
        table = read_part(part)
    except BlankLine:
        return None
    frame = pd.DataFrame({c: table.column(c).to_pandas() for c in names})
    return count_classes(frame, names)


def class_sizes_on(resource: Resource, columns: list[str], address: str) -> pd.Series | None:
    """The class sizes of the resource's records counted on the cluster at
    `address`; None when its records cannot be read there."""
    return reduce_ranges(resource, columns, classes_part, add_classes, address, names=columns)
