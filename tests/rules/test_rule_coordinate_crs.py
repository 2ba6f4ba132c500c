"""The coordinate rules' passes share one guard (publisher.rules._points.CrsPass):
after a batch without a CRS they count nothing, and say why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pyproj import CRS

from publisher.rules._points import CrsPass, PointBatch
from publisher.rules.coordinate_extent import _Outside
from publisher.rules.coordinate_precision import _FinePoints


def _batch(crs: CRS | None) -> PointBatch:
    return PointBatch(rows=np.array([1, 2], dtype=np.int64), x=np.array([13.123456, 99.0]),
                      y=np.array([51.123456, 51.0]), crs=crs, records=2)


@pytest.mark.parametrize("made", [lambda: _Outside([5.8, 46.3, 17.2, 55.1]),
                                  lambda: _FinePoints(100.0)], ids=["extent", "precision"])
def test_a_batch_without_a_crs_stops_the_count(made: Callable[[], CrsPass[Any]]) -> None:
    counted, stopped = made(), made()
    assert isinstance(counted, CrsPass)
    counted.add(_batch(CRS.from_user_input("EPSG:4326")))
    stopped.add(_batch(None))
    stopped.add(_batch(CRS.from_user_input("EPSG:4326")))
    assert not counted.crs_missing and stopped.crs_missing
    assert counted.result() not in (None, (0, 0, None))  # two points, one outside, fine
    assert stopped.result() in (None, (0, 0, None))  # nothing taken after the first batch
