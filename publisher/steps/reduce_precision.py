"""reduce-precision: coordinates rounded (RULES.md section 2: 4 or more decimal
places in degrees is about 11 m or finer). Degrees keep `decimals` places
(3: about 100 m); projected coordinates snap to `metres`. Every geometry kind,
vectorised with shapely's coordinate arrays.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from pydantic import Field

from publisher.errors import InputError
from publisher.package.formats import _coordinate_text, _decimal_char
from publisher.package.model import Package, Resource
from publisher.package.readers._tabular import _number_chars, _numbers
from publisher.params import THRESHOLD
from publisher.steps._layers import METRIC_CRS
from publisher.steps._stream import after, rewrite
from publisher.steps._sums import SCALE, scaled_sum
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class ReducePrecisionParams(StepParams):
    decimals: Annotated[int, THRESHOLD] = Field(
        3, ge=0, le=6, description="Decimal places kept in degrees "
                                   "(geographic CRS; 3: about 100 m).")
    metres: Annotated[float, THRESHOLD] = Field(
        100.0, gt=0, description="Grid step in metres coordinates snap to "
                                 "(projected CRS).")


@steps.register
class ReducePrecision(Step[ReducePrecisionParams]):
    type = "reduce-precision"
    row_wise = True
    example = """\
- type: reduce-precision
  resource: trees
  decimals: 3
"""

    def apply(self, package: Package) -> StepOutcome:
        targets = [r for r in package.select(self.params.resource) if r.is_spatial]
        if not targets:
            raise InputError(f"{self.type}: no spatial resource selected",
                             where=self.params.resource or package.source)
        shifts = {r.name: self._round(r) for r in targets}
        outcome = StepOutcome(stats={"decimals": self.params.decimals,
                                     "metres": self.params.metres})

        def count() -> None:  # once every point was rounded
            per = {name: self._figures(figures) for name, figures in shifts.items()}
            moved = sum(f["points"] for f in per.values())
            total = sum(f["mean_displacement_m"] * f["points"] for f in per.values())
            outcome.stats.update({"resources": per, "mean_displacement_m":
                                  round(total / moved, 2) if moved else 0.0})

        after(self.context, count)
        return outcome

    def _round(self, resource: Resource) -> _Shifts:
        figures = _Shifts()
        # lat/lon columns are rounded as numbers, without shapes, where the pass reads them
        latlon = resource.geometry is not None and resource.geometry.kind == "latlon"
        rewrite(resource, functools.partial(_round_frame, params=self.params, step=self.type,
                                            resource=resource, figures=figures),
                self.context, tally=figures, geometry=not latlon, coordinates=latlon)
        return figures

    def _figures(self, figures: _Shifts) -> dict[str, Any]:
        precision = f"{self.params.decimals} decimal places" if figures.geographic else \
            f"{self.params.metres:g} m"
        return {"points": figures.points, "precision": precision,
                "mean_displacement_m": round(figures.total / figures.points, 2)
                if figures.points else 0.0,
                "max_displacement_m": round(figures.largest, 2) if figures.points else 0.0}


@dataclass
class _Shifts:
    """How far the points moved, over the batches of a resource (a Tally of
    publisher.steps._stream: on a cluster each byte range's are merged). The sum is
    exact, so it does not depend on how the records are cut into batches or ranges."""

    points: int = 0
    scaled: int = 0  # the sum of the finite shifts times 2**SCALE, exact
    odd: float = 0.0  # the sum of the others (inf, nan), if any
    largest: float = 0.0
    geographic: bool = True

    @property
    def total(self) -> float:
        exact: float = self.scaled / 2**SCALE  # correctly rounded
        return exact + self.odd

    def add(self, shift: np.ndarray) -> None:
        if len(shift):
            self.points += len(shift)
            finite = np.isfinite(shift)
            self.scaled += scaled_sum(shift[finite])
            if not finite.all():
                self.odd += float(shift[~finite].sum())
            self.largest = max(self.largest, float(shift.max()))

    def reset(self) -> None:
        self.points, self.scaled, self.odd, self.largest = 0, 0, 0.0, 0.0

    def merge(self, other: _Shifts) -> None:
        self.points += other.points
        self.scaled += other.scaled
        self.odd += other.odd
        self.largest = max(self.largest, other.largest)
        self.geographic = other.geographic


@functools.lru_cache(maxsize=8)
def _to_metres(crs: pyproj.CRS) -> pyproj.Transformer:
    """Made once per CRS (a fifth of a second each): a streamed step rounds every batch."""
    return pyproj.Transformer.from_crs(crs, METRIC_CRS, always_xy=True)


def _round_frame(table: pd.DataFrame, *, params: ReducePrecisionParams, step: str,
                 resource: Resource, figures: _Shifts) -> pd.DataFrame:
    """Some records with their coordinates rounded; the shifts added to FIGURES. The
    records with their geometry, or (a pass that builds no shapes) with their lat/lon
    columns as text, which are written as the writer writes the rounded points."""
    if not isinstance(table, gpd.GeoDataFrame):
        return _round_text(table, params=params, step=step, resource=resource, figures=figures)
    if table.crs is None:
        raise InputError(f"{step}: the geometry has no CRS", where=resource.name)
    crs = pyproj.CRS.from_user_input(table.crs)
    geoms = np.asarray(table.geometry.array, dtype=object)
    coords = shapely.get_coordinates(geoms)
    rounded = _rounded(coords, crs, params, figures)
    new = shapely.set_coordinates(shapely.transform(geoms, lambda c: c), rounded)
    out: pd.DataFrame = table.copy()
    out[table.geometry.name] = gpd.GeoSeries(new, index=table.index, crs=table.crs)
    return out


def _round_text(table: pd.DataFrame, *, params: ReducePrecisionParams, step: str,
                resource: Resource, figures: _Shifts) -> pd.DataFrame:
    """_round_frame on lat/lon text columns: read as the reader reads them (no point
    where either is missing or not a number), written as csv_frame writes points."""
    spec = resource.geometry
    assert spec is not None and spec.lat is not None and spec.lon is not None
    if not spec.crs:
        raise InputError(f"{step}: the geometry has no CRS", where=resource.name)
    chars = _number_chars(resource)
    lat = _numbers(table[spec.lat], chars.get(spec.lat, (".", "")))
    lon = _numbers(table[spec.lon], chars.get(spec.lon, (".", "")))
    located = np.isfinite(lat) & np.isfinite(lon)
    coords = np.column_stack([lon[located], lat[located]])
    rounded = _rounded(coords, pyproj.CRS.from_user_input(spec.crs), params, figures)
    out = table.copy()
    for name, axis in ((spec.lat, 1), (spec.lon, 0)):
        values = np.full(len(table), np.nan)
        values[located] = rounded[:, axis]
        out[name] = _coordinate_text(values, _decimal_char(resource, name)).to_numpy()
    return out


def _rounded(coords: np.ndarray, crs: pyproj.CRS, params: ReducePrecisionParams,
             figures: _Shifts) -> np.ndarray:
    """The coordinates (x, y rows) rounded; how far each moved added to FIGURES."""
    figures.geographic = crs.is_geographic
    if crs.is_geographic:
        rounded = np.round(coords, params.decimals)
    else:
        rounded = np.round(coords / params.metres) * params.metres
    transformer = _to_metres(crs)
    x0, y0 = transformer.transform(coords[:, 0], coords[:, 1])
    x1, y1 = transformer.transform(rounded[:, 0], rounded[:, 1])
    shift = np.hypot(np.asarray(x1) - x0, np.asarray(y1) - y0)
    figures.add(shift)
    return rounded
