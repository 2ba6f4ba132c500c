"""The audit's residual risk counts records alike on their position exactly
where the geometries' WKB is alike, without writing WKB per record for points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from publisher.anonymity import class_sizes
from publisher.pipeline.audit import _position_keys


def _sizes_by_wkb(geoms: np.ndarray, qi: list[str]) -> np.ndarray:
    frame = pd.DataFrame({"qi": qi, "wkb": shapely.to_wkb(geoms, hex=True)})
    return class_sizes(frame, ["qi", "wkb"])


def _sizes_by_keys(geoms: np.ndarray, qi: list[str]) -> np.ndarray:
    keys = _position_keys(geoms)
    frame = pd.DataFrame({"qi": qi, **{f"k{i}": k for i, k in enumerate(keys)}})
    return class_sizes(frame, ["qi", *(f"k{i}" for i in range(len(keys)))])


def test_point_positions_group_as_their_wkb_does() -> None:
    geoms = np.array([shapely.Point(12.38, 51.34), shapely.Point(12.38, 51.34),
                      shapely.Point(12.38, 51.340001), shapely.Point(51.34, 12.38), None,
                      None, shapely.Point(), shapely.Point(), shapely.Point(0.0, 0.0),
                      shapely.Point(-0.0, 0.0)], dtype=object)
    qi = ["a", "a", "a", "a", "a", "a", "a", "a", "b", "b"]
    assert len(_position_keys(geoms)) == 4  # points: no WKB text
    assert _sizes_by_keys(geoms, qi).tolist() == _sizes_by_wkb(geoms, qi).tolist() == \
        [2, 2, 1, 1, 2, 2, 2, 2, 1, 1]


def test_other_geometries_keep_their_wkb() -> None:
    geoms = np.array([shapely.box(0, 0, 1, 1), shapely.box(0, 0, 1, 1),
                      shapely.Point(1, 1), shapely.Point(1, 1, 2)], dtype=object)
    assert len(_position_keys(geoms)) == 1
    assert _sizes_by_keys(geoms, ["x"] * 4).tolist() == [2, 2, 1, 1]
