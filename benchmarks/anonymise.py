"""Anonymisation benchmarks (issue 5).

1. Grid aggregation with suppression: 1M WGS84 points around a city go to
   100 m INSPIRE cells, minimum count 3, small cells merged into 1 km then
   10 km parents, the rest suppressed (the grid-aggregate step, end to end on
   a resource). Beside it, the plain geopandas way (to_crs, a string id per
   point, groupby) as a reference.
2. k-anonymity measurement on 1M rows: this engine's measure_k and pyCANON's
   k_anonymity on the same DataFrame; both must report the same k. The main
   table is record-level, as the audit measures it before anonymising and as
   k-anonymise meets it (exact age, sex, postcode of a city, household size,
   nationality: ~10^5 classes). A generalised table (10-year bands, district:
   ~10^3 classes) is printed beside it: pyCANON's cost grows with the number
   of classes (a Python list per class), this engine's does not, so the gap is
   far smaller there.

Fixed seed; best of --repeat runs. pyCANON: `pip install --no-deps pycanon`
(its exact pins of numpy/pandas would otherwise replace the project's).

    .venv/bin/python benchmarks/anonymise.py [--rows 1000000] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from _quick import QUICK_HELP, result

from publisher.anonymity import measure_k
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams

QIS = ["age", "sex", "postcode", "household", "nationality"]
COARSE_QIS = ["age_band", "sex", "district", "household"]


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return min(times), value


def city_points(n: int, seed: int = 42) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    # a dense centre and a sparse rim, like defect reports in a city of ~20 km
    r = np.abs(rng.normal(0, 0.04, n)) + rng.exponential(0.02, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    lon, lat = 12.37 + r * np.cos(angle) * 1.6, 51.34 + r * np.sin(angle)
    return gpd.GeoDataFrame({"category": rng.choice(["a", "b", "c"], n)},
                            geometry=shapely.points(lon, lat), crs="EPSG:4326")


def grid_step(points: gpd.GeoDataFrame) -> dict[str, Any]:
    resource = Resource(name="reports", format="csv", descriptor={"name": "reports"},
                        geometry=GeometrySpec(kind="native"), data=points)
    step = GridAggregate(GridAggregateParams(resolution=100, min_count=3,
                                             merge_up=[1000, 10000]))
    return step.apply(Package(root=Path("."), descriptor={}, resources=[resource])).stats


def grid_geopandas(points: gpd.GeoDataFrame) -> int:
    projected = points.to_crs("EPSG:3035")
    east = (np.floor(projected.geometry.x / 100) * 100).astype("int64").astype(str)
    north = (np.floor(projected.geometry.y / 100) * 100).astype("int64").astype(str)
    ids = "CRS3035RES100mN" + north + "E" + east
    counts = ids.groupby(ids).size()
    return int((counts >= 3).sum())


def register(n: int, seed: int = 7) -> pd.DataFrame:
    """Record-level residents: exact age, sex, one of 60 postcodes, household size,
    nationality (80 % one value, the rest spread over 30)."""
    rng = np.random.default_rng(seed)
    nations = ["DE"] + [f"N{i:02d}" for i in range(30)]
    weights = np.r_[0.8, np.full(30, 0.2 / 30)]
    return pd.DataFrame({
        "age": np.minimum(rng.gamma(4, 10, n), 104).astype(int).astype(str),
        "sex": rng.choice(["m", "w", "d"], n, p=[0.49, 0.49, 0.02]),
        "postcode": rng.choice([f"04{i:03d}" for i in range(100, 400, 5)], n),
        "household": rng.choice(["1", "2", "3", "4", "5", "6+"], n,
                                p=[0.4, 0.3, 0.12, 0.1, 0.05, 0.03]),
        "nationality": rng.choice(nations, n, p=weights)})


def qi_table(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(0, 95, n) // 10 * 10
    return pd.DataFrame({
        "age_band": pd.Series(age).astype(str) + "-" + pd.Series(age + 9).astype(str),
        "sex": rng.choice(["m", "w", "d"], n, p=[0.49, 0.49, 0.02]),
        "district": rng.choice([f"B{i:02d}" for i in range(10)], n),
        "household": rng.choice(["1", "2", "3", "4", "5+"], n),
        "value": rng.integers(0, 1000, n)}).astype({"value": "int64"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--repeat", type=int, default=None, help="default 3")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    args = parser.parse_args()
    n = args.rows or (5_000 if args.quick else 1_000_000)
    args.repeat = args.repeat or (1 if args.quick else 3)

    points = city_points(n)
    grid_s, stats = best(lambda: grid_step(points.copy()), args.repeat)
    naive_s, _ = best(lambda: grid_geopandas(points), args.repeat)
    print(f"# grid aggregation, {n:,} points, 100 m / min 3 / merge up 1 km, 10 km")
    print(f"{'engine':<22}{'seconds':>10}{'points/s':>16}")
    print(f"{'grid-aggregate step':<22}{grid_s:>10.3f}{n / grid_s:>16,.0f}")
    print(f"{'geopandas (no merge)':<22}{naive_s:>10.3f}{n / naive_s:>16,.0f}")
    print(f"# cells published {stats['cells_published']:,} "
          f"({stats['cells_by_resolution']}), merged {stats['cells_merged']:,}, "
          f"points suppressed {stats['points_suppressed']:,}")

    try:
        from pycanon.anonymity import k_anonymity
    except ImportError:
        k_anonymity = None
        print("# pyCANON not installed: pip install --no-deps pycanon")
    speedup = None
    for label, frame, qis in (("record-level", register(n), QIS),
                              ("generalised", qi_table(n), COARSE_QIS)):
        ours_s, ours_k = best(lambda f=frame, q=qis: measure_k(f, q), args.repeat)
        print(f"\n# k-anonymity, {label} table, {n:,} rows over {', '.join(qis)}")
        print(f"{'engine':<22}{'seconds':>10}{'k':>8}")
        print(f"{'publisher measure_k':<22}{ours_s:>10.4f}{ours_k:>8}")
        if k_anonymity is None:
            continue
        canon_s, canon_k = best(lambda f=frame, q=qis: k_anonymity(f, q), args.repeat)
        print(f"{'pyCANON k_anonymity':<22}{canon_s:>10.4f}{canon_k:>8}")
        if canon_k != ours_k:
            raise SystemExit(f"k differs: publisher {ours_k}, pyCANON {canon_k}")
        print(f"# same k: {ours_k}; speedup {canon_s / ours_s:.1f}x")
        speedup = speedup or canon_s / ours_s
    result("grid_points_per_s", f"{n / grid_s:.0f}", ">= 1000000", args.quick)
    if speedup is not None:
        result("kanon_speedup_vs_pycanon", f"{speedup:.1f}", ">= 20", args.quick)


if __name__ == "__main__":
    main()
