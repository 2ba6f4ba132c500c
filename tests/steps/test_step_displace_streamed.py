"""displace-points as a row-wise change (publisher.steps._stream): streamed batch
by batch, alone or in one pass with other row-wise steps, it publishes the bytes
and figures of the whole table in memory; in memory it gives the frame the
whole-table step gave before it streamed (tests/cases/steps/displace/expected.json);
its change pickles without the layers' search trees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cloudpickle  # type: ignore[import-untyped]
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from publisher.package import batches
from publisher.package.loader import load_package
from publisher.package.model import Package
from publisher.package.writer import write_package
from publisher.steps import _stream
from publisher.steps.base import StepContext, run_steps, steps
from publisher.steps.displace_points import _Displace

CASES = Path(__file__).parent.parent / "cases" / "steps"
DISPLACE = CASES / "displace"
KEY = "a-test-key-of-some-length"
BATCH = 37  # the 420 reports in 12 batches

DONUT: dict[str, Any] = {"type": "displace-points", "resource": "reports",
                         "reference": {"resource": "addresses"},
                         "within": {"file": "bezirke.geojson"}, "k": 3}
RING: dict[str, Any] = {"type": "displace-points", "resource": "reports",
                        "min_distance": 100, "max_distance": 200}
FILE_LAYERS: dict[str, Any] = {"type": "displace-points", "resource": "reports",
                               "reference": {"file": "displace/addresses.geojson"},
                               "within": {"file": "bezirke.geojson"}, "k": 5, "attempts": 3}
# the params expected.json was made with, by the whole-table step before it streamed
EXPECTED = {"reference-and-areas": DONUT, "ring-only": RING, "areas-file-reference": FILE_LAYERS}
REDACT = {"type": "redact-text", "resource": "reports", "columns": ["note"]}
BAND = {"type": "band-numbers", "resource": "reports", "columns": ["id"], "width": 10}
CHAINS: dict[str, list[dict[str, Any]]] = {
    "donut alone": [DONUT],
    "ring alone": [RING],
    "layers from files": [FILE_LAYERS],
    "in one pass with redact-text": [REDACT, DONUT],
    "before pseudonymise and band-numbers": [
        DONUT, {"type": "pseudonymise", "resource": "reports", "columns": ["note"]}, BAND],
    # the reference's queued change is made before the layer is read
    "reference rounded first": [
        {"type": "reduce-precision", "resource": "addresses", "decimals": 3}, DONUT],
    "twice": [RING, DONUT],
}


def _steps(specs: list[dict[str, Any]]) -> list[Any]:
    chosen = []
    for spec in specs:
        cls = steps.get(spec["type"])
        chosen.append(cls(cls.Params.model_validate({k: v for k, v in spec.items()
                                                     if k != "type"})))
    return chosen


def _whole(package: Package, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps' figures with every table in memory."""
    for resource in package.resources:
        resource.table()
    context = StepContext(secret=KEY, base=CASES)
    return [o.stats for o in run_steps(_steps(specs), package, context)]


def _streamed(package: Package, specs: list[dict[str, Any]], work: Path
              ) -> tuple[list[dict[str, Any]], StepContext]:
    """The steps' figures as a run runs them: row-wise ones share a pass through WORK."""
    context = StepContext(secret=KEY, base=CASES, workdir=work)
    return [o.stats for o in run_steps(_steps(specs), package, context)], context


def _written(package: Package, out: Path) -> dict[str, bytes]:
    write_package(package, out)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("case", EXPECTED)
def test_in_memory_the_frame_is_the_whole_table_steps(case: str) -> None:
    expected = json.loads((DISPLACE / "expected.json").read_text(encoding="utf-8"))[case]
    package = load_package(str(DISPLACE))
    [stats] = _whole(package, [EXPECTED[case]])
    frame = package.resource("reports").data
    source = pd.read_csv(DISPLACE / "reports.csv", dtype=str, keep_default_na=False)
    source.index = pd.RangeIndex(2, len(source) + 2)
    assert isinstance(frame, gpd.GeoDataFrame)
    assert json.loads(json.dumps(stats)) == expected["stats"]
    assert frame.index.tolist() == expected["index"] and frame.index.is_monotonic_increasing
    assert frame.crs.to_string() == expected["crs"] and list(frame.columns) == expected["columns"]
    assert [None if g is None else shapely.to_wkt(g, rounding_precision=-1)
            for g in frame.geometry] == expected["wkt"]
    assert frame["note"].tolist() == source.loc[frame.index, "note"].tolist()
    # suppressed points leave their records out; records without a point stay
    blank = source.index[source["lat"] == ""]
    assert set(blank) <= set(frame.index) and frame.geometry.loc[blank].isna().all()
    assert len(source) - len(frame) == stats["points_suppressed"]


@pytest.mark.parametrize("case", CHAINS)
def test_streamed_in_batches_it_publishes_what_the_whole_table_does(
        case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", BATCH)
    source = load_package(str(DISPLACE))
    whole, streamed = source.copy(), source.copy()
    whole_stats = _whole(whole, CHAINS[case])
    streamed_stats, _ = _streamed(streamed, CHAINS[case], tmp_path / "work")
    reports = streamed.resource("reports")
    assert reports.data is None and reports.projection is not None  # never held whole
    assert streamed_stats == whole_stats
    assert _written(streamed, tmp_path / "streamed") == _written(whole, tmp_path / "whole")
    displaced = [s for spec, s in zip(CHAINS[case], whole_stats, strict=True)
                 if spec["type"] == "displace-points"]
    assert all(s["points_displaced"] > 0 for s in displaced)
    if case != "ring alone" and "twice" not in case:
        assert all(s["points_suppressed"] > 0 for s in displaced)


def test_a_pass_shared_with_redact_text_reads_the_records_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", BATCH)
    package = load_package(str(DISPLACE))
    _, context = _streamed(package, CHAINS["in one pass with redact-text"], tmp_path / "work")
    assert context.chain is not None and context.chain.passes == 1
    assert [p.name for p in (tmp_path / "work").iterdir()] == \
        [package.resource("reports").projection.file.name]  # type: ignore[union-attr]


def _spatial_package(root: Path) -> Path:
    """The points and addresses of test_step_spatial's donut case as a CSV package
    (WKT in EPSG:3035 and lon/lat), with records without a point among them; the
    addresses moved onto the district (there they lie east of it: every point would
    be suppressed)."""
    areas = gpd.read_file(CASES / "bezirke.geojson").to_crs(3035)
    rng = np.random.default_rng(5)
    inner = areas.geometry.iloc[0].buffer(-300)
    sample = shapely.points(rng.uniform(*inner.bounds[::2], 400),
                            rng.uniform(*inner.bounds[1::2], 400))
    sample = sample[shapely.contains(inner, sample)][:100]
    spread = np.random.default_rng(9)
    addr_x = 4_530_000 + spread.gamma(2, 3000.0, 4000) - 50_000
    addr_y = 3_130_000 + spread.gamma(2, 3000.0, 4000)
    lonlat = gpd.GeoSeries(sample, crs=3035).to_crs(4326)
    lon = [repr(v) for v in lonlat.x] + ["", ""]
    lat = [repr(v) for v in lonlat.y] + ["", ""]
    root.mkdir()
    pd.DataFrame({"n": range(len(lon)), "lat": lat, "lon": lon}).iloc[
        np.r_[0:50, 100, 50:100, 101]].to_csv(root / "p.csv", index=False)
    pd.DataFrame({"hnr": range(len(addr_x)), "wkt": shapely.to_wkt(
        shapely.points(addr_x, addr_y), rounding_precision=-1)}).to_csv(root / "addr.csv",
                                                                        index=False)
    fields = [{"name": "n", "type": "integer"}, {"name": "lat", "type": "number"},
              {"name": "lon", "type": "number"}]
    descriptor = {"name": "spatial", "resources": [
        {"name": "p", "path": "p.csv", "format": "csv", "schema": {"fields": fields},
         "geometry": {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"}},
        {"name": "addr", "path": "addr.csv", "format": "csv",
         "schema": {"fields": [{"name": "hnr", "type": "integer"},
                               {"name": "wkt", "type": "string"}]},
         "geometry": {"kind": "wkt", "column": "wkt", "crs": "EPSG:3035"}}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


@pytest.mark.parametrize("spec", [
    {"type": "displace-points", "resource": "p", "reference": {"resource": "addr"},
     "within": {"file": "bezirke.geojson"}, "k": 3},
    {"type": "displace-points", "resource": "p", "min_distance": 100, "max_distance": 200}],
    ids=["donut", "ring"])
def test_the_spatial_cases_streamed_publish_what_the_whole_table_does(
        spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", 9)
    source = load_package(str(_spatial_package(tmp_path / "package")))
    whole, streamed = source.copy(), source.copy()
    whole_stats = _whole(whole, [spec])
    streamed_stats, _ = _streamed(streamed, [spec], tmp_path / "work")
    assert streamed.resource("p").data is None
    assert streamed_stats == whole_stats and whole_stats[0]["points_displaced"] > 0
    assert _written(streamed, tmp_path / "streamed") == _written(whole, tmp_path / "whole")


def test_the_change_pickles_without_the_layers_trees(tmp_path: Path) -> None:
    package = load_package(str(DISPLACE))
    context = StepContext(secret=KEY, base=CASES, workdir=tmp_path / "work")
    context.chain = _stream.Chain()
    [step] = _steps([DONUT])
    step.run(package, context)  # queued on the chain, not run
    [pending] = context.chain.pending.values()
    [change] = pending.changes
    assert isinstance(change, _Displace)
    assert change.reference is not None and change.areas is not None
    assert change.key not in repr(change)  # the derived key is shown nowhere
    frame = load_package(str(DISPLACE)).resource("reports").table().iloc[40:120]
    assert change.moves.points_in == 0
    ran = change(frame)  # builds the trees
    assert change.reference._tree is not None and change.areas._tree is not None
    copy = cloudpickle.loads(cloudpickle.dumps(change))
    assert copy.reference._tree is None and copy.areas._tree is None
    assert change.reference._tree is not None  # the original keeps its own
    copy.moves.reset()  # as a worker's copy starts
    again = copy(frame)
    assert copy.reference._tree is not None
    pd.testing.assert_frame_equal(again, ran)
    assert copy.moves == change.moves and change.moves.points_in == 80


def test_later_readers_number_the_kept_records_as_the_written_file_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The records of suppressed points are left out of the file the pass writes: the
    next step, the re-check and staging number the kept records as that file does
    (2, 3, ...: as the published file), in file order; the whole table in memory
    keeps the source's row numbers as its index."""
    monkeypatch.setattr(batches, "BATCH_ROWS", BATCH)
    source = load_package(str(DISPLACE))
    whole, streamed = source.copy(), source.copy()
    _whole(whole, [DONUT])
    _streamed(streamed, [DONUT], tmp_path / "work")
    kept = whole.resource("reports").table()
    written = streamed.resource("reports").table()
    assert written.index.tolist() == list(range(2, len(kept) + 2))
    assert kept.index.tolist() != written.index.tolist()  # some suppressed before the last
    assert written["note"].tolist() == kept["note"].tolist()
    assert written["id"].tolist() == kept["id"].tolist()


@pytest.mark.parametrize("batch", [4, 1000])
def test_batches_left_empty_are_written_as_nothing(batch: int, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """k = 400 within 250 m: every point is suppressed, the records without a point
    stay; batches of 4 records (the first 4 all have points) come out empty."""
    monkeypatch.setattr(batches, "BATCH_ROWS", batch)
    spec = DONUT | {"k": 400}
    source = load_package(str(DISPLACE))
    whole, streamed = source.copy(), source.copy()
    whole_stats = _whole(whole, [spec])
    streamed_stats, _ = _streamed(streamed, [spec], tmp_path / "work")
    assert streamed_stats == whole_stats
    assert whole_stats[0]["points_displaced"] == 0 and whole_stats[0]["k_reached"] is None
    written = _written(streamed, tmp_path / "streamed")
    assert written == _written(whole, tmp_path / "whole")
    text = written["data/reports.csv"].decode("utf-8").splitlines()
    assert text[0].replace('"', "") == "id,note,lat,lon" and len(text) > 1
    assert len(text) - 1 == whole_stats[0]["resources"]["reports"]["points_in"] - \
        whole_stats[0]["points_suppressed"]
