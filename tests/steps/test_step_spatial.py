import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from publisher.steps.base import StepContext
from publisher.steps.grid_aggregate import GridAggregateParams
from tests.steps.helpers import KEY, pkg, points, run

CASES = Path(__file__).parent.parent / "cases" / "steps"
CELL = re.compile(r"^CRS3035RES(\d+)mN(\d+)E(\d+)$")
AREAS = gpd.read_file(CASES / "bezirke.geojson").to_crs(3035)


def scatter(n: int, seed: int = 0, spread: float = 3000.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return 4_530_000 + rng.gamma(2, spread / 4, n), 3_130_000 + rng.gamma(2, spread / 4, n)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 300), st.integers(1, 8), st.integers(0, 1000),
       st.sampled_from([[], [1000], [1000, 10000], [250, 500, 1000]]),
       st.booleans())
def test_no_published_cell_is_below_the_minimum(n, k, seed, ladder, with_by):
    x, y = scatter(n, seed)
    rng = np.random.default_rng(seed)
    extra = {"kind": rng.choice(["a", "b"], n)} if with_by else {}
    res = points("p", x, y, **extra)
    outcome = run("grid-aggregate", pkg(res), min_count=k, merge_up=ladder,
                  by=["kind"] if with_by else [])
    out = res.table()
    assert (out["count"] >= k).all()
    stats = outcome.stats
    assert stats["points_in"] == n == stats["points_suppressed"] + int(out["count"].sum())
    for cell in out["cell_id"]:
        match = CELL.match(cell)
        assert match and int(match[1]) in [100, *ladder]
        assert int(match[2]) % int(match[1]) == 0 and int(match[3]) % int(match[1]) == 0
    if ladder:
        assert (out["resolution_m"].astype(str) == out["cell_id"].str.extract(
            r"RES(\d+)m")[0]).all()
    assert not out["cell_id"].duplicated().any() if not with_by else True


def test_small_cells_merge_into_their_parent_and_the_rest_is_suppressed():
    # 3 points in one 100 m cell, 2 more in the same 1 km cell, 1 far away
    x = np.array([4_530_010, 4_530_020, 4_530_030, 4_530_510, 4_530_720, 4_590_000.0])
    y = np.array([3_130_010, 3_130_020, 3_130_030, 3_130_510, 3_130_520, 3_190_000.0])
    res = points("p", x, y)
    outcome = run("grid-aggregate", pkg(res), min_count=2, merge_up=[1000])
    assert res.table()[["cell_id", "resolution_m", "count"]].to_dict("records") == [
        {"cell_id": "CRS3035RES100mN3130000E4530000", "resolution_m": 100, "count": 3},
        {"cell_id": "CRS3035RES1000mN3130000E4530000", "resolution_m": 1000, "count": 2}]
    assert outcome.stats["points_merged"] == 3 and outcome.stats["points_suppressed"] == 1
    assert outcome.stats["cells_suppressed"] == 1
    assert outcome.stats["k_reached"] == 2
    fields = [f["name"] for f in res.schema["fields"]]
    assert fields == ["cell_id", "resolution_m", "count", "geometry"]


@pytest.mark.parametrize("ladder", [[1000], [250, 500, 1000], [1000, 10000]])
def test_each_cell_carries_its_own_square_merged_ones_the_coarser_one(ladder):
    (dense_x, dense_y), (far_x, far_y) = scatter(300, seed=7, spread=400), \
        scatter(300, seed=8, spread=20000)
    res = points("p", np.r_[dense_x, far_x], np.r_[dense_y, far_y])
    run("grid-aggregate", pkg(res), min_count=4, merge_up=ladder, crs="EPSG:3035")
    out = res.table()
    assert isinstance(out, gpd.GeoDataFrame) and out.crs == "EPSG:3035"
    assert set(out["resolution_m"]) > {100}  # some cells were merged up
    for cell, size, shape in zip(out["cell_id"], out["resolution_m"], out.geometry,
                                 strict=True):
        _, north, east = (int(v) for v in CELL.match(cell).groups())
        assert shapely.equals_exact(shape.normalize(), shapely.box(
            east, north, east + size, north + size).normalize(), 0)
        assert shape.area == size * size  # a merged-up 1000 m cell: 1 km²
    assert res.geometry is not None and res.geometry.kind == "wkt"
    assert res.descriptor["geometry"] == {"kind": "wkt", "column": "geometry",
                                          "crs": "EPSG:3035"}


def test_cells_default_to_wgs84_polygons_that_cover_their_grid_cell():
    x, y = scatter(200, seed=2)
    res = points("p", x, y)
    run("grid-aggregate", pkg(res), min_count=1, resolution=250)
    out = res.table()
    assert out.crs == "EPSG:4326"
    back = out.to_crs(3035)
    for cell, shape in zip(back["cell_id"], back.geometry, strict=True):
        _, north, east = (int(v) for v in CELL.match(cell).groups())
        square = shapely.box(east, north, east + 250, north + 250)
        # corners kept to 7 decimal places of a degree: about a centimetre
        assert shapely.hausdorff_distance(shape, square) < 0.02
        assert abs(shape.area - 250 * 250) < 10


def test_output_crs_must_be_known():
    with pytest.raises(ValidationError):
        GridAggregateParams.model_validate({"crs": "EPSG:99999999"})
    assert GridAggregateParams.model_validate({"crs": "EPSG:25832"}).crs == "EPSG:25832"


def test_merge_up_must_grow():
    with pytest.raises(ValidationError):
        GridAggregateParams.model_validate({"resolution": 1000, "merge_up": [100]})


def test_aggregate_to_areas_from_a_file_layer():
    rng = np.random.default_rng(3)
    lon = np.r_[rng.uniform(12.31, 12.36, 20), rng.uniform(12.38, 12.43, 2), [13.5]]
    lat = rng.uniform(51.31, 51.36, 23)
    res = points("p", lon, lat, crs="EPSG:4326")
    context = StepContext(base=CASES, secret=KEY)
    outcome = run("aggregate-areas", pkg(res), context=context, resource="p",
                  areas={"file": "bezirke.geojson"}, area_id="id", area_name="name")
    out = res.table()
    assert out.drop(columns="geometry").to_dict("records") == [
        {"id": "W", "name": "West", "count": 20}]
    stats = outcome.stats
    assert stats["points_outside"] == 1 and stats["points_suppressed"] == 2
    assert stats["cells_suppressed"] == 1 and stats["k_reached"] == 20
    assert context.inputs == [CASES / "bezirke.geojson"]
    # the area's own polygon from the layer, in WGS 84 by default, as a WKT column
    assert out.crs == "EPSG:4326" and res.is_spatial and res.geometry.kind == "wkt"
    west = gpd.read_file(CASES / "bezirke.geojson").set_index("id").geometry["W"]
    assert shapely.hausdorff_distance(out.geometry.iloc[0], west) < 1e-6
    fields = {f["name"]: f for f in res.schema["fields"]}
    assert list(fields) == ["id", "name", "count", "geometry"]
    assert all(f.get("title") and f.get("description") for f in fields.values())


def test_area_aggregate_with_by_groups_publishes_each_area_polygon_in_the_chosen_crs(
        tmp_path: Path):
    from publisher.package.loader import load_package
    from publisher.package.writer import write_package

    lon = np.r_[np.full(4, 12.33), np.full(3, 12.40), np.full(3, 12.41)]
    lat = np.full(10, 51.33)
    res = points("p", lon, lat, crs="EPSG:4326",
                 kind=["a", "a", "a", "b", "a", "a", "a", "b", "b", "b"])
    run("aggregate-areas", pkg(res), context=StepContext(base=CASES), resource="p",
        areas={"file": "bezirke.geojson"}, area_id="id", by=["kind"], min_count=3,
        crs="EPSG:3035")
    out = res.table()
    assert out.drop(columns="geometry").to_dict("records") == [
        {"id": "O", "kind": "a", "count": 3}, {"id": "O", "kind": "b", "count": 3},
        {"id": "W", "kind": "a", "count": 3}]
    assert out.crs == "EPSG:3035"
    east, west = AREAS.set_index("id").geometry[["O", "W"]]
    for area, shape in zip(out["id"], out.geometry, strict=True):
        assert shapely.equals_exact(shape, east if area == "O" else west, 1e-6)
    # written and read again: a CSV whose WKT column gives the areas back
    write_package(pkg(res, root=tmp_path), tmp_path / "out")
    again = load_package(tmp_path / "out").resource("p")
    assert again.format == "csv" and again.geometry.kind == "wkt"
    assert again.table().crs == "EPSG:3035"
    assert all(shapely.equals_exact(a, b, 1e-6) for a, b in
               zip(again.table().geometry, out.geometry, strict=True))


def test_donut_displacement_keeps_k_distance_and_area():
    rng = np.random.default_rng(5)
    inner = AREAS.geometry.iloc[0].buffer(-300)
    sample = shapely.points(rng.uniform(*inner.bounds[::2], 400),
                            rng.uniform(*inner.bounds[1::2], 400))
    sample = sample[shapely.contains(inner, sample)][:100]
    addr_x, addr_y = scatter(4000, 9, spread=12000)
    addresses = points("addr", addr_x - 20_000, addr_y + 10_000)
    lonlat = gpd.GeoSeries(sample, crs=3035).to_crs(4326)
    res = points("p", lonlat.x.to_numpy(), lonlat.y.to_numpy(), crs="EPSG:4326")
    bezirke = points("bezirke", np.zeros(0), np.zeros(0))
    bezirke.data = AREAS
    before = res.table().to_crs(3035).geometry
    outcome = run("displace-points", pkg(res, addresses, bezirke), resource="p",
                  reference={"resource": "addr"}, within={"resource": "bezirke"}, k=3)
    stats = outcome.stats
    after = res.table().to_crs(3035).geometry
    moved = before.loc[after.index].distance(after)
    assert stats["points_displaced"] + stats["points_suppressed"] == len(sample)
    assert (moved >= 50 - 1e-6).all() and (moved <= 250 + 1e-6).all()
    assert after.intersects(AREAS.geometry.iloc[0]).all()  # each stays in its district
    if stats["points_displaced"]:
        assert stats["k_reached"] >= 3 and stats["mean_displacement_m"] >= 50
    again = points("p", lonlat.x.to_numpy(), lonlat.y.to_numpy(), crs="EPSG:4326")
    run("displace-points", pkg(again, addresses, bezirke), resource="p",
        reference={"resource": "addr"}, within={"resource": "bezirke"}, k=3)
    assert again.table().geometry.equals(res.table().geometry)  # same key, same move


def test_displacement_without_reference_stays_in_the_ring():
    x, y = scatter(200, 2)
    res = points("p", x, y)
    outcome = run("displace-points", pkg(res), min_distance=100, max_distance=200)
    moved = shapely.distance(shapely.points(x, y), np.asarray(res.table().geometry.array))
    assert (moved >= 100 - 1e-6).all() and (moved <= 200 + 1e-6).all()
    assert outcome.stats["k_reached"] is None and outcome.stats["points_displaced"] == 200


def test_reduce_precision_rounds_degrees_and_reports_shift():
    res = points("p", np.array([12.381694, 12.430214]), np.array([51.337971, 51.309402]),
                 crs="EPSG:4326")
    outcome = run("reduce-precision", pkg(res), decimals=3)
    geometry = res.table().geometry
    assert geometry.x.tolist() == [12.382, 12.43] and geometry.y.tolist() == [51.338, 51.309]
    assert 0 < outcome.stats["mean_displacement_m"] < 80
    assert json.dumps(outcome.stats)  # plain figures


def test_reduce_precision_snaps_projected_coordinates():
    res = points("p", np.array([4_530_049.0]), np.array([3_130_151.0]))
    run("reduce-precision", pkg(res), metres=100)
    assert res.table().geometry.iloc[0].coords[0] == (4_530_000.0, 3_130_200.0)
    assert isinstance(res.table(), pd.DataFrame)
