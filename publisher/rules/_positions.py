"""Exact positions written as text (issue 24): "51.3379712 12.3816943",
"51.3379712, 12.3816943", "(12.3816943/51.3379712)", "51,3379712; 12,3816943".

A position is a pair of decimal numbers, each with at least `MIN_DECIMALS`
places (about a metre or finer), latitude and longitude inside the extent
looked at, in either order. Cells are read as a person reads them
(publisher.detect.normalise), in any text column, whatever its name: a
column called `hinweis` or `standort_text` holds a position as well as one
called `lat`. A pyarrow RE2 kernel picks the candidate cells of the whole
column; Python parses only those.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect import to_arrow
from publisher.detect.normalise import normalise
from publisher.package.batches import Batch
from publisher.package.model import Resource
from publisher.rules._shared import BatchPass, result_of

MIN_DECIMALS = 5
DEFAULT_EXTENT = (5.8, 46.3, 17.2, 55.1)  # RULES.md section 2: Germany and Austria
_PREFILTER = (rf"[0-9]{{1,3}}[.,][0-9]{{{MIN_DECIMALS},}}[^0-9]{{1,4}}"
              rf"[0-9]{{1,3}}[.,][0-9]{{{MIN_DECIMALS},}}")
# a point decimal pair may be split by a comma; a comma decimal pair is not
_PAIR = re.compile(
    rf"(?<![\d.,])(?P<a>-?\d{{1,3}}\.\d{{{MIN_DECIMALS},20}})(?:\s*[,;/]\s*|\s+)"
    rf"(?P<b>-?\d{{1,3}}\.\d{{{MIN_DECIMALS},20}})(?![\d.])"
    rf"|(?<![\d.,])(?P<c>-?\d{{1,3}},\d{{{MIN_DECIMALS},20}})(?:\s*[;/]\s*|\s+)"
    rf"(?P<d>-?\d{{1,3}},\d{{{MIN_DECIMALS},20}})(?![\d,])")


@dataclass
class Positions:
    """Positions found in one column."""

    count: int = 0
    rows: list[int] = field(default_factory=list)  # the first few rows that hold one
    first: str | None = None  # raw, for the caller to mask


def _anywhere(column: pa.Array) -> bool:
    """Whether the prefilter matches anywhere in the column's text, its cells read as
    one (a match across two cells is a false alarm, never a miss): one run of the
    pattern over the bytes instead of one per cell."""
    _, offsets, data = column.buffers()[:3]
    if data is None or offsets is None or not len(column):
        return False
    width = np.int64 if pa.types.is_large_string(column.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=width)[column.offset:column.offset + len(column) + 1]
    start, end = int(bounds[0]), int(bounds[-1])
    whole = pa.Array.from_buffers(pa.large_string(), 1, [
        None, pa.py_buffer(np.array([0, end - start], dtype=np.int64)),
        data.slice(start, end - start)])
    return bool(pc.match_substring_regex(whole, _PREFILTER)[0].as_py())


def find_positions(text: str, extent: tuple[float, float, float, float] = DEFAULT_EXTENT
                   ) -> Iterator[str]:
    """Every exact position in one text (already normalised), as written."""
    for m in _PAIR.finditer(text):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        x, y = float(a.replace(",", ".")), float(b.replace(",", "."))
        if _inside(y, x, extent) or _inside(x, y, extent):  # lat lon, or lon lat
            yield m.group(0)


def _inside(lon: float, lat: float, extent: tuple[float, float, float, float]) -> bool:
    return extent[0] <= lon <= extent[2] and extent[1] <= lat <= extent[3]


def column_positions(column: pa.Array, extent: tuple[float, float, float, float]
                     ) -> list[tuple[int, str]]:
    """(position in the column, first position written) per cell that holds one."""
    raw = to_arrow(column)
    normalised = normalise(raw)
    text = normalised.text
    if _anywhere(raw):
        hit = pc.fill_null(pc.match_substring_regex(text, _PREFILTER), False)
        positions = pc.indices_nonzero(hit).to_numpy()
    else:  # no cell as written holds one: only one that reads otherwise can
        changed = np.fromiter(sorted(normalised.maps), dtype=np.int64,
                              count=len(normalised.maps))
        hit = pc.fill_null(pc.match_substring_regex(text.take(pa.array(changed)),
                                                    _PREFILTER), False)
        positions = changed[pc.indices_nonzero(hit).to_numpy()]
    if positions.size == 0:
        return []
    out = []
    for position, cell in zip(positions.tolist(), text.take(pa.array(positions)).to_pylist(),
                              strict=True):
        first = next(find_positions(cell, extent), None)
        if first is not None:
            out.append((position, first))
    return out


class PositionsPass(BatchPass[dict[str, Positions]]):
    """Per column (geometry and `ignore` left out), the positions written in its
    cells, the first `keep` rows that hold one."""

    def __init__(self, extent: tuple[float, float, float, float] = DEFAULT_EXTENT,
                 ignore: frozenset[str] = frozenset(), keep: int = 5) -> None:
        self.extent, self.ignore, self.keep = extent, ignore, keep
        self.found: dict[str, Positions] = {}

    @property
    def key(self) -> Hashable:
        return ("positions", self.extent, self.ignore, self.keep)

    def add(self, batch: Batch) -> None:
        for name, array in batch.columns.items():
            if name == "geometry" or name in self.ignore:
                continue
            if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
                continue
            hits = column_positions(array, self.extent)
            if not hits:
                continue
            entry = self.found.setdefault(name, Positions())
            entry.count += len(hits)
            for position, value in hits[:max(0, self.keep - len(entry.rows))]:
                entry.rows.append(int(batch.rows[position]))
                if entry.first is None:
                    entry.first = value

    def result(self) -> dict[str, Positions]:
        return self.found


def resource_positions(resource: Resource,
                       extent: tuple[float, float, float, float] = DEFAULT_EXTENT,
                       ignore: frozenset[str] = frozenset()) -> dict[str, Positions]:
    """Per column (geometry and `ignore` left out), the positions written in its cells
    (kept per resource object and data, publisher.rules._shared: coordinates-in-text
    and the evidence for publisher.rules._personal share one pass, which the
    check's shared read may have made)."""
    return result_of(resource, PositionsPass(extent, ignore))
