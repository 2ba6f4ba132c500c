"""Find columns that hold coordinate pairs in plain tables (RULES.md section 2).

A pair is a "y" column (latitude, northing) and an "x" column (longitude,
easting) whose values lie, for at least `min_share` of the non-empty cells, in
the range that the policy's extent covers in one coordinate system: degrees
(EPSG:4326), ETRS89 / UTM eastings and northings (EPSG:25832, 25833) or the
same with the zone number before the easting (EPSG:4647, 5650).

The range alone is no evidence: prices, counts and heights fall in it too.
A pair needs one of
- names: one column named like a latitude / northing / y and the other like a
  longitude / easting / x (German and English), or
- the pair pattern: two neighbouring columns, one in the y range and the
  other in the x range of the same system.

Columns are read in batches (publisher.package.batches) and parsed with
pyarrow compute kernels; only the candidate columns are read a second time.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import Transformer

from publisher.package.batches import Batch
from publisher.package.model import Resource
from publisher.rules._shared import BatchPass, result_of
from publisher.rules.personal_column_names import words_of

Y_WORDS = frozenset({"lat", "latitude", "breite", "breitengrad", "geobreite", "northing",
                     "nordwert", "hochwert", "hw", "north", "utmn", "y", "ykoordinate",
                     "ycoord", "ycoordinate"})
X_WORDS = frozenset({"lon", "lng", "long", "longitude", "laenge", "laengengrad", "geolaenge",
                     "easting", "ostwert", "rechtswert", "rw", "east", "utme", "x",
                     "xkoordinate", "xcoord", "xcoordinate"})
_NUMBER = r"^[-+]?[0-9]+([.,][0-9]+)?$"
# projected systems and the zone number written before their eastings (x 10^6)
_PROJECTED = (("EPSG:25832", 0), ("EPSG:25833", 0), ("EPSG:4647", 32), ("EPSG:5650", 33))
# no easting lies this far west of a zone's central meridian (500 km) in use
_MIN_EASTING = 100_000


@dataclass(frozen=True)
class System:
    crs: str
    x: tuple[float, float]
    y: tuple[float, float]

    @property
    def geographic(self) -> bool:
        return self.crs == "EPSG:4326"


@cache
def systems(extent: tuple[float, float, float, float]) -> tuple[System, ...]:
    """Per coordinate system, the x and y ranges the extent (lon/lat box) covers."""
    out = [System("EPSG:4326", (extent[0], extent[2]), (extent[1], extent[3]))]
    for crs, zone in _PROJECTED:
        box = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform_bounds(
            *extent, densify_pts=21)
        west = max(box[0], zone * 1_000_000 + _MIN_EASTING)
        if west < box[2]:
            out.append(System(crs, (west, box[2]), (box[1], box[3])))
    return tuple(out)


class _Column:
    """Counts over all batches: non-empty cells, numbers, numbers in each system's range."""

    def __init__(self, n_systems: int):
        self.nonempty = 0
        self.numeric = 0
        self.in_x = np.zeros(n_systems, dtype=np.int64)
        self.in_y = np.zeros(n_systems, dtype=np.int64)


@dataclass(frozen=True)
class Pair:
    y: str
    x: str
    systems: tuple[System, ...]  # every system whose ranges both columns fit
    named: bool  # found by names (else by the pair pattern)


def numbers(array: pa.Array) -> tuple[np.ndarray, int]:
    """The cells as floats (NaN where not a plain decimal number; decimal comma
    allowed) and the number of non-empty cells."""
    text = pc.utf8_trim_whitespace(array.cast(pa.string()))
    nonempty = int(pc.sum(pc.fill_null(pc.greater(pc.utf8_length(text), 0), False)).as_py()
                   or 0)
    ok = pc.fill_null(pc.match_substring_regex(text, _NUMBER), False)
    out = np.full(len(array), np.nan)
    picked = pc.filter(text, ok)
    if len(picked):
        values = pc.cast(pc.replace_substring(picked, ",", "."), pa.float64())
        out[np.flatnonzero(ok.to_numpy(zero_copy_only=False))] = values.to_numpy()
    return out, nonempty


def in_range(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return np.asarray((values >= bounds[0]) & (values <= bounds[1]))


class PairCounts(BatchPass[tuple[dict[str, "_Column"], frozenset[str]]]):
    """The first pass of find_pairs: per column, its counts over all batches, and
    the columns dropped as text (`ignore` and those with too few numbers)."""

    def __init__(self, extent: tuple[float, float, float, float], min_share: float,
                 ignore: frozenset[str] = frozenset()) -> None:
        self.extent, self.min_share, self.ignore = extent, min_share, ignore
        self.known = systems(extent)
        self.stats: dict[str, _Column] = {}
        self.dropped: set[str] = set(ignore)

    @property
    def key(self) -> Hashable:
        return ("coordinate-columns", self.extent, self.min_share, self.ignore)

    def add(self, batch: Batch) -> None:
        for name, array in batch.columns.items():
            if name in self.dropped:
                continue
            values, nonempty = numbers(array)
            col = self.stats.setdefault(name, _Column(len(self.known)))
            col.nonempty += nonempty
            col.numeric += int(np.count_nonzero(~np.isnan(values)))
            for i, system in enumerate(self.known):
                col.in_x[i] += int(np.count_nonzero(in_range(values, system.x)))
                col.in_y[i] += int(np.count_nonzero(in_range(values, system.y)))
            if col.numeric < self.min_share * col.nonempty:
                self.dropped.add(name)  # text, not coordinates: not parsed again

    def result(self) -> tuple[dict[str, _Column], frozenset[str]]:
        return self.stats, frozenset(self.dropped)


def find_pairs(resource: Resource, extent: tuple[float, float, float, float],
               min_share: float, ignore: frozenset[str] = frozenset()) -> list[Pair]:
    """Coordinate pairs among the resource's columns (first pass over the data, which
    the check's shared read may have made: publisher.rules._shared)."""
    known = systems(extent)
    stats, dropped = result_of(resource, PairCounts(extent, min_share, ignore))
    order = [n for n in stats if n not in dropped and stats[n].nonempty]

    def fits(name: str, axis: str) -> np.ndarray:
        col = stats[name]
        counts = col.in_y if axis == "y" else col.in_x
        return np.asarray(counts >= min_share * col.nonempty)

    pairs: list[Pair] = []
    used: set[str] = set()
    for y, x in _named(order):
        both = fits(y, "y") & fits(x, "x")
        if both.any():
            pairs.append(Pair(y, x, tuple(s for s, ok in zip(known, both, strict=True) if ok),
                              named=True))
            used |= {y, x}
    names = list(stats)  # the table's column order: neighbours in the file
    for first, second in itertools.pairwise(names):
        if {first, second} & (used | dropped) or not (first in order and second in order):
            continue
        for y, x in ((first, second), (second, first)):
            both = fits(y, "y") & fits(x, "x")
            if both.any():
                pairs.append(Pair(y, x, tuple(s for s, ok in zip(known, both, strict=True)
                                              if ok), named=False))
                used |= {y, x}
                break
    return pairs


def _axis(name: str) -> tuple[str | None, str]:
    """'y' or 'x' (or None) by the column's name, and its stem (the other words)."""
    words = words_of(name)
    parts = words[:-1] if len(words) > 2 else words[:1]
    for axis, vocabulary in (("y", Y_WORDS), ("x", X_WORDS)):
        hit = next((w for w in words if w in vocabulary), None)
        if hit is not None:
            return axis, " ".join(w for w in parts if w != hit)
    return None, ""


def _named(order: list[str]) -> Iterator[tuple[str, str]]:
    """(y, x) column pairs by name: same stem ('start_lat'/'start_lon'), or the only two."""
    axes = {name: _axis(name) for name in order}
    ys = [n for n in order if axes[n][0] == "y"]
    xs = [n for n in order if axes[n][0] == "x"]
    taken: set[str] = set()
    for y in ys:
        same = [x for x in xs if axes[x][1] == axes[y][1] and x not in taken]
        partner = same[0] if same else (xs[0] if len(ys) == 1 and len(xs) == 1 else None)
        if partner is not None:
            taken.add(partner)
            yield y, partner
