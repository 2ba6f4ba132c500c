"""The polygons of published aggregates (publisher.steps._polygons)."""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

from publisher.steps._polygons import cell_polygons, reproject


def test_cells_are_closed_counter_clockwise_squares_in_one_transform() -> None:
    east, north = np.array([4_337_000, 4_338_000]), np.array([2_689_000, 2_690_000])
    same = cell_polygons(east, north, np.array([100, 1000]), "EPSG:3035", "EPSG:3035")
    assert [s.area for s in same] == [100 * 100, 1000 * 1000]
    assert same[1].equals(shapely.box(4_338_000, 2_690_000, 4_339_000, 2_691_000))
    wgs84 = cell_polygons(east, north, np.array([100, 1000]), "EPSG:3035", "EPSG:4326")
    assert all(shapely.is_ccw(s.exterior) and s.is_valid for s in wgs84)
    # kept to 7 decimal places of a degree
    coords = shapely.get_coordinates(wgs84)
    assert np.array_equal(coords, np.round(coords, 7))
    assert len(cell_polygons(east[:0], north[:0], east[:0], "EPSG:3035", "EPSG:4326")) == 0


def test_a_shape_that_rounding_would_pinch_keeps_every_digit() -> None:
    # two lobes whose waists lie 0.2 mm apart: valid, but one point once rounded to 1 cm
    x0, y0 = 1_377_000.0, 6_680_000.0  # EPSG:3857, near Leipzig
    ring = [(0, 0), (10, 0), (5, 4.9999), (10, 10), (0, 10), (5, 5.0001), (0, 0)]
    shape = shapely.Polygon([(x0 + x, y0 + y) for x, y in ring])
    plain = shapely.box(x0, y0, x0 + 10, y0 + 10)
    assert shape.is_valid
    to_wgs84 = pyproj.Transformer.from_crs(3857, 4326, always_xy=True)
    pinched = shapely.transform(shape, lambda xy: np.round(
        np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1])), 7))
    assert not pinched.is_valid  # what plain rounding would publish
    moved = reproject(np.array([shape, plain], dtype=object), "EPSG:3857", "EPSG:4326")
    assert moved[0].is_valid and len(shapely.get_coordinates(moved[0])) == 7
    coords = shapely.get_coordinates(moved[1])
    assert np.array_equal(coords, np.round(coords, 7))  # the others are rounded
