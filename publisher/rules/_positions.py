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
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect import to_arrow
from publisher.detect.normalise import normalise
from publisher.package.batches import iter_batches
from publisher.package.model import Resource

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
    text = normalise(to_arrow(column)).text
    hit = pc.fill_null(pc.match_substring_regex(text, _PREFILTER), False)
    positions = pc.indices_nonzero(hit).to_numpy()
    if positions.size == 0:
        return []
    out = []
    for position, cell in zip(positions.tolist(), text.take(pa.array(positions)).to_pylist(),
                              strict=True):
        first = next(find_positions(cell, extent), None)
        if first is not None:
            out.append((position, first))
    return out


_CACHE: OrderedDict[tuple[int, tuple[float, ...], frozenset[str]],
                    tuple[Resource, object, dict[str, Positions]]] = OrderedDict()
_CACHE_SIZE = 8


def resource_positions(resource: Resource,
                       extent: tuple[float, float, float, float] = DEFAULT_EXTENT,
                       ignore: frozenset[str] = frozenset()) -> dict[str, Positions]:
    """Per column (geometry and `ignore` left out), the positions written in its cells
    (cached per resource object and data: coordinates-in-text and the evidence for
    publisher.rules._personal share one pass)."""
    key = (id(resource), extent, ignore)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is resource and cached[1] is resource.data:
        _CACHE.move_to_end(key)
        return cached[2]
    found = _scan(resource, extent, ignore)
    _CACHE[key] = (resource, resource.data, found)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return found


def _scan(resource: Resource, extent: tuple[float, float, float, float],
          ignore: frozenset[str], keep: int = 5) -> dict[str, Positions]:
    found: dict[str, Positions] = {}
    for batch in iter_batches(resource):
        for name, array in batch.columns.items():
            if name == "geometry" or name in ignore:
                continue
            if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
                continue
            hits = column_positions(array, extent)
            if not hits:
                continue
            entry = found.setdefault(name, Positions())
            entry.count += len(hits)
            for position, value in hits[:max(0, keep - len(entry.rows))]:
                entry.rows.append(int(batch.rows[position]))
                if entry.first is None:
                    entry.first = value
    return found
